#include "subcommands/tcp_echo/server.hpp"

#include <signal.h>

#include <memory>
#include <string>

#include "net/endpoint.hpp"
#include "net/resolver.hpp"
#include "net/socket.hpp"
#include "pcap/traffic_filter.hpp"
#include "net/socket_activation.hpp"
#include "net/stream_server.hpp"
#include "subcommands/tcp_echo/records.hpp"
#include "sys/error.hpp"
#include "sys/privileges.hpp"
#include "sys/rlimits.hpp"
#include "tls/records.hpp"
#include "tls/server_tls.hpp"

namespace nt::tcp_echo {

using tls::HandshakeFailedEvent;
using tls::ServerTls;

namespace {

// The echo protocol (RFC 862) on the core stream server: whatever arrives goes back. The server
// stops reading a peer while its echo waits to be taken, so a connection holds at most one read.
class EchoHandler final : public net::StreamHandler {
 public:
  EchoHandler(output::Output& out, const ServerTls& tls) : out_(out), tls_(tls) {}

  void on_open(net::ServerConnection& c) override {
    out_.emit(AcceptedEvent{c.id(), c.peer_text(), c.server_active()}.to_record());
    if (auto rec = tls_.record_for(c.stream(), c.id(), c.peer_text())) out_.emit(std::move(*rec));
  }
  void on_data(net::ServerConnection& c, std::span<const std::byte> data) override { (void)c.write(data); }
  void on_close(net::ServerConnection& c, std::string_view reason) override {
    double duration = sys::to_seconds(c.loop().now() - c.started());
    out_.emit(ClosedEvent{c.id(), c.peer_text(), c.bytes_in(), c.bytes_out(), duration, std::string(reason)}
                  .to_record());
  }
  void on_refused(const net::SocketAddress& peer, std::string_view reason, std::size_t active) override {
    out_.emit(RefusedEvent{peer.to_string(), std::string(reason), active}.to_record());
  }
  // Logged, and the server goes on: a plaintext client, garbage for a ClientHello, a timeout.
  void on_handshake_failed(const net::SocketAddress& peer, std::string_view why) override {
    out_.emit(HandshakeFailedEvent{peer.to_string(), std::string(why)}.to_record());
  }

 private:
  output::Output& out_;
  const ServerTls& tls_;
};

net::SocketAddress wildcard(uint16_t port, int family, bool& v6_only) {
  v6_only = family == AF_INET6;
  return net::wildcard_address(family, port);
}

const char* signal_name(int signo) {
  if (signo == SIGINT) return "SIGINT";
  if (signo == SIGTERM) return "SIGTERM";
  return "";
}

net::StreamServerConfig server_config(const ServerOptions& opts, bool v6_only, const ServerTls& tls) {
  net::StreamServerConfig cfg;
  cfg.threads = opts.threads;
  cfg.max_clients = opts.max_clients;
  cfg.max_per_ip = opts.max_per_ip;
  if (opts.idle_timeout_s > 0) cfg.idle_timeout = sys::from_seconds(opts.idle_timeout_s);
  cfg.v6_only = v6_only;
  cfg.stop_when_output_gone = true;  // `| head -1`: exit now, not at the next client (issue 18.9)
  cfg.stream_factory = tls.factory();
  return cfg;
}

using HandlerFactory = net::StreamServer::HandlerFactory;

std::unique_ptr<net::StreamServer> open_server(const ServerOptions& opts, cli::Runtime& rt,
                                               const ServerTls& tls, const HandlerFactory& make) {
  if (const int fd = net::inherited_listener(opts.listen_fd, !opts.listen.empty(), "tcp-echo"); fd >= 0) {
    return std::make_unique<net::StreamServer>(net::UniqueFd(fd), server_config(opts, false, tls), make);
  }
  bool v6_only = false;
  net::SocketAddress addr = listen_address(opts.listen, rt.global.family, v6_only);
  return std::make_unique<net::StreamServer>(addr, server_config(opts, v6_only, tls), make);
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
  ServerTls tls(opts.tls, rt);
  auto server_ptr = open_server(
      opts, rt, tls, [&rt, &tls](std::size_t) { return std::make_unique<EchoHandler>(rt.out, tls); });
  net::StreamServer& server = *server_ptr;
  rt.capture(capture::TrafficFilter().listener(capture::Transport::tcp, server.local_address()));
  sys::drop_privileges();  // the ports are bound (CAP_NET_BIND_SERVICE below 1024): nothing more needs one
  auto started = sys::MonoClock::now();
  rt.out.emit(ListeningEvent{server.local_address().to_string(), opts.threads, opts.max_clients,
                             opts.max_per_ip, opts.idle_timeout_s}
                  .to_record());
  tls.reload_on_sighup();
  int signo = server.run();
  net::ServerTotals t = server.totals();
  ServerSummary summary;
  summary.connections = t.connections;
  summary.idle_timeouts = t.idle_timeouts;
  summary.bytes_in = t.bytes_in;
  summary.bytes_out = t.bytes_out;
  summary.refused = t.refused;
  summary.peak_concurrent = t.peak_concurrent;
  summary.duration_s = sys::to_seconds(sys::MonoClock::now() - started);
  summary.signal = signal_name(signo);
  rt.out.emit(summary.to_record());
  return kExitOk;
}

}  // namespace nt::tcp_echo
