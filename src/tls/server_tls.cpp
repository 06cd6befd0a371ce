#include "tls/server_tls.hpp"

#include <signal.h>

#include <atomic>
#include <thread>

#include "config.h"
#include "tls/records.hpp"
#include "sys/clock.hpp"
#include "sys/error.hpp"
#if NETTOOL_HAVE_OPENSSL
#include "tls/config.hpp"
#include "tls/factory.hpp"
#endif

namespace nt::tls {

#if NETTOOL_HAVE_OPENSSL

namespace {

constexpr timespec kSighupPoll{0, 200'000'000};  // how soon the watcher notices the server ended

sigset_t sighup_set() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGHUP);
  return set;
}

tls::ServerConfig server_config(const TlsServerOptions& o) {
  return {.cert = o.cert,
          .key = o.key.empty() ? o.cert : o.key,
          .client_ca = o.client_ca,
          .min_version = tls::parse_min_version(o.min_version),
          .alpn = o.alpn.empty() ? std::vector<std::string>{} : tls::parse_alpn(o.alpn)};
}

}  // namespace

struct ServerTls::Impl {
  Impl(const TlsServerOptions& o, cli::Runtime& r) : ctx(server_config(o)), rt(r) {}

  void watch() {
    const sigset_t set = sighup_set();
    while (!stop.load()) {
      if (::sigtimedwait(&set, nullptr, &kSighupPoll) == SIGHUP) reload();
    }
  }

  void reload() {
    ReloadEvent event;
    event.cert = ctx.config().cert;
    try {
      ctx.reload();
      event.ok = true;
    } catch (const std::exception& e) {
      event.error = describe(e);
    }
    rt.out.emit(event.to_record());
  }

  tls::ServerContext ctx;
  cli::Runtime& rt;
  std::atomic<bool> stop{false};
  std::thread watcher;
};

ServerTls::ServerTls(const TlsServerOptions& opts, cli::Runtime& rt) {
  if (!opts.enabled) return;
  // Before any loop thread exists: they inherit the mask, so only the watcher ever takes SIGHUP.
  const sigset_t set = sighup_set();
  ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
  impl_ = std::make_unique<Impl>(opts, rt);
}

ServerTls::~ServerTls() {
  if (!impl_ || !impl_->watcher.joinable()) return;
  impl_->stop.store(true);
  impl_->watcher.join();
}

net::StreamFactory ServerTls::factory() const {
  return impl_ ? tls::server_factory(impl_->ctx) : net::StreamFactory(net::plain_stream);
}

std::optional<output::Record> ServerTls::record_for(const net::Stream& stream, uint64_t conn_id,
                                                    const std::string& peer) const {
  if (!impl_) return std::nullopt;
  auto info = tls::info_of(stream);
  if (!info) return std::nullopt;
  auto rec = info->to_record({{"time", sys::now_rfc3339()}, {"conn_id", conn_id}, {"peer", peer}});
  rec.as_event();  // one per connection: a json-mode server keeps only the first ones
  return rec;
}

void ServerTls::reload_on_sighup() {
  if (impl_ && !impl_->watcher.joinable()) impl_->watcher = std::thread([this] { impl_->watch(); });
}

#else  // built without OpenSSL: validate() refused --tls already

struct ServerTls::Impl {};
ServerTls::ServerTls(const TlsServerOptions&, cli::Runtime&) {}
ServerTls::~ServerTls() = default;
net::StreamFactory ServerTls::factory() const {
  return net::plain_stream;
}
std::optional<output::Record> ServerTls::record_for(const net::Stream&, uint64_t, const std::string&) const {
  return std::nullopt;
}
void ServerTls::reload_on_sighup() {}

#endif

}  // namespace nt::tls
