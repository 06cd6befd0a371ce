#include "subcommands/tcp_echo/server.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "net/endpoint.hpp"
#include "net/resolver.hpp"
#include "net/socket.hpp"
#include "subcommands/tcp_echo/records.hpp"
#include "subcommands/tcp_echo/server_loop.hpp"
#include "sys/error.hpp"
#include "sys/privileges.hpp"
#include "sys/rlimits.hpp"

namespace nt::tcp_echo {

namespace {

net::SocketAddress wildcard(uint16_t port, int family, bool& v6_only) {
  v6_only = family == AF_INET6;
  return net::wildcard_address(family, port);
}

std::vector<net::UniqueFd> open_listeners(const ServerOptions& opts, int family) {
  bool v6_only = false;
  net::SocketAddress addr = listen_address(opts.listen, family, v6_only);
  net::ListenOptions lo;
  lo.v6_only = v6_only;
  lo.reuse_port = addr.is_inet() && opts.threads > 1;
  std::vector<net::UniqueFd> listeners;
  listeners.push_back(net::listen_on(addr, lo));
  // Unix sockets have no SO_REUSEPORT: their loops share the one listener.
  if (!addr.is_inet()) return listeners;
  net::SocketAddress bound = net::local_address(listeners[0].get());  // port 0 → the kernel's choice
  for (int i = 1; i < opts.threads; ++i) listeners.push_back(net::listen_on(bound, lo));
  return listeners;
}

// Removes the socket file of a unix listener when the server ends, however it ends (a loop that
// failed included), so the next start does not meet a stale file.
struct SocketFileRemover {
  std::string path;
  ~SocketFileRemover() {
    if (!path.empty()) ::unlink(path.c_str());
  }
};

const char* signal_name(int signo) {
  if (signo == SIGINT) return "SIGINT";
  if (signo == SIGTERM) return "SIGTERM";
  return "";
}

// Runs loops[1..] on threads of their own and loops[0] here (the only one reading signals); returns
// when a termination signal or a failing loop stopped them all.
int run_loops(std::vector<std::unique_ptr<ServerLoop>>& loops) {
  int signo = 0;
  std::exception_ptr failure;
  std::mutex failure_mu;
  std::atomic<std::size_t> finished{0};
  auto stop_all = [&loops] {
    for (auto& l : loops) l->loop().stop();
  };
  loops[0]->loop().on_signal([&](int s) {
    signo = s;
    stop_all();
  });
  auto guarded = [&](ServerLoop& l) {
    try {
      l.loop().run();
    } catch (...) {
      std::lock_guard lock(failure_mu);
      if (!failure) failure = std::current_exception();
      stop_all();
    }
    finished.fetch_add(1);
  };
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < loops.size(); ++i) threads.emplace_back(guarded, std::ref(*loops[i]));
  guarded(*loops[0]);
  // Repeated: a worker that had not yet entered run() when first told to stop must still see it.
  while (finished.load() < loops.size()) {
    stop_all();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
  return signo;
}

}  // namespace

net::SocketAddress listen_address(const std::string& text, int family, bool& v6_only) {
  v6_only = false;
  if (text.empty()) return wildcard(kDefaultPort, family, v6_only);
  net::EndpointRules rules;
  rules.require_port = false;
  rules.allow_empty_host = true;
  rules.allow_port_only = true;
  rules.default_port = kDefaultPort;
  net::Endpoint ep = net::parse_endpoint(text, rules);
  if (ep.kind == net::Endpoint::Kind::unix_path) return net::SocketAddress::unix_path(ep.host);
  if (ep.kind == net::Endpoint::Kind::abstract) return net::SocketAddress::abstract(ep.host);
  if (ep.host.empty()) return wildcard(ep.port, family, v6_only);  // ep.port: the default when absent
  auto addrs = net::resolve(ep, net::ResolveOptions{family, SOCK_STREAM, true});
  v6_only = family == AF_INET6;
  return addrs.front();
}

int run_server(const ServerOptions& opts, cli::Runtime& rt) {
  validate(opts);
  sys::raise_fd_limit();
  auto listeners = open_listeners(opts, rt.global.family);
  sys::drop_privileges();  // the ports are bound (CAP_NET_BIND_SERVICE below 1024): nothing more needs one
  net::SocketAddress bound = net::local_address(listeners[0].get());
  SocketFileRemover remover{bound.is_unix() && !bound.is_abstract() ? bound.host() : std::string()};
  ServerShared shared(opts, rt.out);
  std::vector<std::unique_ptr<ServerLoop>> loops;
  bool shared_listener = listeners.size() == 1 && opts.threads > 1;
  for (int i = 0; i < opts.threads; ++i) {
    int fd = listeners[std::min<std::size_t>(static_cast<std::size_t>(i), listeners.size() - 1)].get();
    loops.push_back(std::make_unique<ServerLoop>(shared, fd, i == 0, shared_listener));
  }
  auto started = sys::MonoClock::now();
  rt.out.emit(
      ListeningEvent{bound.to_string(), opts.threads, opts.max_clients, opts.max_per_ip, opts.idle_timeout_s}
          .to_record());
  int signo = run_loops(loops);
  ServerSummary summary;
  for (auto& l : loops) {
    l->close_all();
    summary.connections += l->totals().connections;
    summary.idle_timeouts += l->totals().idle_timeouts;
    summary.bytes_in += l->totals().bytes_in;
    summary.bytes_out += l->totals().bytes_out;
  }
  summary.refused = shared.refused.load();
  summary.peak_concurrent = shared.peak.load();
  summary.duration_s = sys::to_seconds(sys::MonoClock::now() - started);
  summary.signal = signal_name(signo);
  rt.out.emit(summary.to_record());
  return kExitOk;
}

}  // namespace nt::tcp_echo
