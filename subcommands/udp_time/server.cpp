#include "subcommands/udp_time/server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cerrno>
#include <cstring>

#include "event/loop.hpp"
#include "event/output_watch.hpp"
#include "net/datagram_batch.hpp"
#include "net/endpoint.hpp"
#include "net/resolver.hpp"
#include "net/socket.hpp"
#include "pcap/traffic_filter.hpp"
#include "net/socket_handle.hpp"
#include "net/source_rate_limiter.hpp"
#include "subcommands/udp_time/records.hpp"
#include "sys/error.hpp"
#include "sys/privileges.hpp"

namespace nt::udp_time {

namespace tp = timeproto;

namespace {
// Bounds the work per readable event so timers and signals are never starved by a flood.
constexpr int kMaxBatchesPerWakeup = 32;
// Largest datagram we read whole: anything longer is oversized for every protocol we speak.
constexpr std::size_t kReceiveBuffer = tp::kNtpMaxRequestSize + 4;

// RFC 5905 §7.3: a four-character code at stratum 1, an IPv4 address above. Without a source of our
// own, the default above stratum 1 is 127.127.1.1, the classic local-clock address chrony uses too.
uint32_t reference_id(const std::string& text, uint8_t stratum) {
  if (text.empty()) return stratum == 1 ? tp::refid_from_ascii("LOCL") : 0x7f7f0101U;
  in_addr v4{};
  if (::inet_pton(AF_INET, text.c_str(), &v4) == 1) return ntohl(v4.s_addr);
  if (text.size() > 4) {
    throw UsageError(
        fmt::format("invalid --refid '{}': expected 1-4 ASCII characters or an IPv4 address", text));
  }
  for (char ch : text) {
    if (ch < 0x21 || ch > 0x7e)
      throw UsageError(fmt::format("invalid --refid '{}': not printable ASCII", text));
  }
  return tp::refid_from_ascii(text);
}

tp::ResponderConfig responder_config(const ServerOptions& o) {
  tp::ResponderConfig c;
  c.protocol = parse_protocol(o.protocol);
  c.stratum = static_cast<uint8_t>(o.stratum);
  c.reference_id = reference_id(o.refid, c.stratum);
  c.precision = tp::measure_precision();
  // We are our own reference: the dispersion is what one clock reading may be off by.
  c.root_dispersion_s = std::ldexp(1.0, c.precision);
  c.daytime_style = parse_daytime_style(o.daytime_format);
  c.allow_low_ports = o.allow_low_ports;
  return c;
}

uint16_t source_port(const sockaddr* sa) noexcept {
  if (sa->sa_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(sa)->sin_port);
  if (sa->sa_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(sa)->sin6_port);
  return 0;
}

net::SocketAddress bind_address(const ServerOptions& o, tp::Protocol proto, int family) {
  // No --listen: every address on the protocol's default port (issue 18.1: this used to be exit 2).
  if (!o.listen_given) return net::wildcard_address(family, tp::default_server_port(proto));
  net::EndpointRules rules;
  rules.require_port = false;
  rules.allow_empty_host = true;
  rules.allow_port_only = true;
  rules.allow_local = false;
  rules.default_port = tp::default_server_port(proto);
  net::Endpoint ep = net::parse_endpoint(o.listen, rules);
  if (ep.host.empty()) return net::wildcard_address(family, ep.port);
  return net::resolve(ep, {family, SOCK_DGRAM, true}).front();
}

// v6_only: -6 was given; otherwise an IPv6 socket is dual-stack and answers IPv4 too.
net::UniqueFd open_server_socket(const net::SocketAddress& addr, bool v6_only) {
  net::UniqueFd fd = net::make_socket(addr.family(), SOCK_DGRAM, 0, true);
  if (addr.family() == AF_INET6) {
    net::set_int_option(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, v6_only ? 1 : 0, "IPV6_V6ONLY");
  }
  const net::SocketHandle sock(fd);
  if (const int rc = sock.bind(addr); rc != 0) {
    const int err = -rc;
    if (err == EACCES) {
      throw PrivilegeError(fmt::format(
          "binding {}: port {} is privileged: grant CAP_NET_BIND_SERVICE (setcap cap_net_bind_service+ep "
          "nettool) or lower net.ipv4.ip_unprivileged_port_start, or use a port above 1023",
          addr, addr.port()));
    }
    throw RuntimeError(fmt::format("binding {}: {}", addr, std::strerror(err)));
  }
  // A deep receive queue absorbs bursts between two batches; the kernel may clamp it (rmem_max).
  (void)sock.set_int(net::sockopt("SO_RCVBUF"), 4 << 20);
  bool wildcard = addr.host() == "0.0.0.0" || addr.host() == "::";
  net::DatagramBatch::enable_socket_options(sock, addr.family(), wildcard);
  return fd;
}

class Server {
 public:
  Server(const ServerOptions& o, cli::Runtime& rt, net::UniqueFd fd, tp::ResponderConfig cfg)
      : opts_(o),
        rt_(rt),
        fd_(std::move(fd)),
        cfg_(cfg),
        limiter_({o.rate_limit, o.rate_burst, static_cast<std::size_t>(o.max_sources), 1'000'000'000}),
        kod_(o.limit_action == "kod" && cfg.protocol == tp::Protocol::sntp),
        batch_(static_cast<std::size_t>(o.batch), kReceiveBuffer),
        verbose_(rt.out.wants(output::Level::verbose)) {}

  void run() {
    started_ = event::EventLoop::now();
    loop_.add(fd_.get(), EPOLLIN, [this](uint32_t) { drain(); });
    // `| head -1`: exit as soon as the reader is gone, between two batches (issue 18.9).
    (void)event::stop_when_output_gone(loop_);
    if (opts_.summary_interval_s > 0) schedule_summary();
    loop_.run();
    rt_.out.emit(summary(true));
  }

 private:
  void schedule_summary() {
    loop_.add_timer(sys::from_seconds(opts_.summary_interval_s), [this] {
      rt_.out.emit(summary(false));
      schedule_summary();
    });
  }

  output::Record summary(bool final) const {
    double secs = sys::to_seconds(event::EventLoop::now() - started_);
    return ServerSummary{counters_, secs, limiter_.tracked(), limiter_.evictions(), final}.to_record();
  }

  void drain() {
    for (int round = 0; round < kMaxBatchesPerWakeup; ++round) {
      int n = batch_.receive(fd_);
      if (n <= 0) return;  // EAGAIN, or an error the next wakeup will show again
      process(static_cast<std::size_t>(n));
      if (static_cast<std::size_t>(n) < static_cast<std::size_t>(opts_.batch)) return;
    }
  }

  void process(std::size_t n) {
    int64_t now_ns = tp::wall_now_ns();
    int64_t mono_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(event::EventLoop::now().time_since_epoch())
            .count();
    for (std::size_t i = 0; i < n; ++i) handle(i, now_ns, mono_ns);
    auto sent = batch_.send_queued(fd_);
    counters_.replies += sent.sent;
    counters_.send_errors += sent.failed;
  }

  void handle(std::size_t i, int64_t now_ns, int64_t mono_ns) {
    ++counters_.requests;
    auto request = batch_.payload(i);
    tp::DropReason reason = tp::check_source_port(cfg_, source_port(batch_.source(i)));
    if (reason == tp::DropReason::none) reason = tp::check_request(cfg_, request, batch_.truncated(i));
    std::size_t reply_len = 0;
    std::string action = "drop";
    if (reason == tp::DropReason::none) {
      net::Admission adm = limiter_.admit(net::IpAddress::from_sockaddr(batch_.source(i)), mono_ns);
      int64_t recv_ns = batch_.receive_ns(i, now_ns);
      int64_t xmit_ns = tp::wall_now_ns();
      if (adm == net::Admission::allow) {
        reply_len = tp::build_reply(cfg_, request, recv_ns, xmit_ns, batch_.reply_buffer(i));
        action = "reply";
      } else {
        reason = tp::DropReason::rate_limited;
        ++counters_.rate_limited;
        if (adm == net::Admission::limit_kod && kod_) {
          reply_len = tp::build_kod_rate(request, recv_ns, xmit_ns, batch_.reply_buffer(i));
          action = "kod";
          ++counters_.kod_sent;
        }
      }
    }
    if (reply_len > 0) {
      batch_.queue_reply(i, reply_len);
    } else {
      ++counters_.dropped[static_cast<std::size_t>(reason)];
    }
    if (verbose_) {
      net::SocketAddress src(batch_.source(i), batch_.source_len(i));
      rt_.out.emit(RequestRecord{src.to_string(), cfg_.protocol, action, reason, request.size(), reply_len}
                       .to_record());
    }
  }

  const ServerOptions& opts_;
  cli::Runtime& rt_;
  net::UniqueFd fd_;
  tp::ResponderConfig cfg_;
  net::RateLimiter limiter_;
  bool kod_;
  net::DatagramBatch batch_;
  bool verbose_;
  event::EventLoop loop_;
  ServerCounters counters_;
  event::TimePoint started_{};
};
}  // namespace

int run_server(const ServerOptions& opts, cli::Runtime& rt) {
  tp::ResponderConfig cfg = responder_config(opts);
  if (opts.limit_action != "kod" && opts.limit_action != "drop") {
    throw UsageError(fmt::format("invalid --limit-action '{}': expected kod or drop", opts.limit_action));
  }
  net::SocketAddress addr = bind_address(opts, cfg.protocol, rt.global.family);
  net::UniqueFd fd = open_server_socket(addr, rt.global.family == AF_INET6);
  rt.capture(capture::TrafficFilter().listener(capture::Transport::udp, net::local_address(fd.get())));
  // The port is bound: nothing later needs a capability (CAP_NET_BIND_SERVICE for ports < 1024).
  sys::drop_privileges();
  ListeningRecord listening{net::local_address(fd.get()).to_string(),
                            cfg.protocol,
                            opts.stratum,
                            tp::refid_text(cfg.reference_id, cfg.stratum),
                            opts.rate_limit,
                            opts.rate_burst,
                            opts.limit_action,
                            opts.max_sources};
  rt.out.emit(listening.to_record());
  Server server(opts, rt, std::move(fd), cfg);
  server.run();
  return kExitOk;
}

}  // namespace nt::udp_time
