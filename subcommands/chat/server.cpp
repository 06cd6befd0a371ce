// chat-server: a chat room speaking newline-delimited JSON (issue 12) on the core stream server, over
// TCP (dual-stack by default), unix and abstract sockets, optionally TLS. One event loop: every client
// of a room must be reachable from the loop that broadcasts. No privileges needed (a port below 1024
// needs CAP_NET_BIND_SERVICE, dropped once bound).
#include "subcommands/chat/server.hpp"

#include <signal.h>

#include <memory>

#include "net/endpoint.hpp"
#include "net/resolver.hpp"
#include "net/socket.hpp"
#include "net/socket_activation.hpp"
#include "net/stream_server.hpp"
#include "pcap/traffic_filter.hpp"
#include "subcommands/chat/server_room.hpp"
#include "sys/clock.hpp"
#include "sys/error.hpp"
#include "sys/privileges.hpp"
#include "sys/rlimits.hpp"
#include "tls/server_tls.hpp"

namespace nt::chat {

namespace {

constexpr auto kSweepEvery = std::chrono::seconds(1);
// Room for the last words of a client dropped with a full queue (an error line).
constexpr std::size_t kQueueSlack = 64 << 10;

net::StreamServerConfig server_config(const ServerOptions& opts, bool v6_only, const tls::ServerTls& tls) {
  net::StreamServerConfig cfg;
  cfg.threads = 1;
  cfg.max_clients = opts.max_clients;
  cfg.max_per_ip = opts.max_per_ip;
  // The room's sweep drops idle clients with an error first; the core's timer is the backstop for
  // a client whose last words never drain (reason idle_timeout → slow_reader).
  if (opts.idle_timeout_s > 0) cfg.idle_timeout = sys::from_seconds(opts.idle_timeout_s + 5);
  cfg.max_queued = opts.max_queue + kQueueSlack;
  cfg.v6_only = v6_only;
  cfg.stop_when_output_gone = true;
  cfg.stream_factory = tls.factory();
  return cfg;
}

const char* signal_name(int signo) {
  if (signo == SIGINT) return "SIGINT";
  if (signo == SIGTERM) return "SIGTERM";
  return "";
}

// Re-arms itself: the sweep every second, a stats record every --stats-interval.
void every(event::EventLoop& loop, event::Duration period, std::function<void()> fn) {
  loop.add_timer(period, [&loop, period, fn = std::move(fn)]() mutable {
    fn();
    every(loop, period, std::move(fn));
  });
}

}  // namespace

net::SocketAddress chat_listen_address(const std::string& text, int family, bool& v6_only) {
  v6_only = family == AF_INET6;
  net::EndpointRules rules;
  rules.require_port = false;
  rules.allow_empty_host = true;
  rules.allow_port_only = true;
  rules.default_port = kDefaultPort;
  net::Endpoint ep = text.empty() ? net::Endpoint{} : net::parse_endpoint(text, rules);
  if (text.empty()) ep.port = kDefaultPort;
  if (ep.kind == net::Endpoint::Kind::unix_path) return net::SocketAddress::unix_path(ep.host);
  if (ep.kind == net::Endpoint::Kind::abstract) return net::SocketAddress::abstract(ep.host);
  if (ep.host.empty()) return net::wildcard_address(family, ep.port);
  return net::resolve(ep, net::ResolveOptions{family, SOCK_STREAM, true}).front();
}

int run_server(const ServerOptions& opts, cli::Runtime& rt) {
  validate(opts);
  sys::raise_fd_limit();
  tls::ServerTls tls(opts.tls, rt);
  Room* room = nullptr;
  auto make_room = [&](std::size_t) {
    auto r = std::make_unique<Room>(opts, rt.out, tls);
    room = r.get();
    return r;
  };
  std::unique_ptr<net::StreamServer> server_ptr;
  if (const int fd = net::inherited_listener(opts.listen_fd, !opts.listen.empty(), "chat-server"); fd >= 0) {
    server_ptr =
        std::make_unique<net::StreamServer>(net::UniqueFd(fd), server_config(opts, false, tls), make_room);
  } else {
    bool v6_only = false;
    net::SocketAddress addr = chat_listen_address(opts.listen, rt.global.family, v6_only);
    server_ptr = std::make_unique<net::StreamServer>(addr, server_config(opts, v6_only, tls), make_room);
  }
  net::StreamServer& server = *server_ptr;
  rt.capture(capture::TrafficFilter().listener(capture::Transport::tcp, server.local_address()));
  sys::drop_privileges();
  auto started = sys::MonoClock::now();
  rt.out.emit(ListeningEvent{server.local_address().to_string(), opts.max_clients, opts.max_line, opts.rate,
                             opts.idle_timeout_s, opts.tls.enabled}
                  .to_record());
  tls.reload_on_sighup();
  event::EventLoop& loop = server.loop();
  every(loop, kSweepEvery, [room, &loop] { room->sweep(loop.now()); });
  auto stats_now = [&] {
    ChatStats s = room->stats();
    net::ServerTotals t = server.totals();
    s.peak = std::max(s.peak, t.peak_concurrent);
    s.duration_s = sys::to_seconds(sys::MonoClock::now() - started);
    return s;
  };
  if (opts.stats_interval_s > 0) {
    every(loop, sys::from_seconds(opts.stats_interval_s), [&] { rt.out.emit(stats_now().to_record(false)); });
  }
  int signo = server.run();
  ChatStats s = stats_now();
  s.signal = signal_name(signo);
  rt.out.emit(s.to_record(true));
  return kExitOk;
}

}  // namespace nt::chat
