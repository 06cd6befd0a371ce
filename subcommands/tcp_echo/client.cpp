#include "subcommands/tcp_echo/client.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "net/endpoint.hpp"
#include "net/resolver.hpp"
#include "pcap/traffic_filter.hpp"
#include "sys/clock.hpp"
#include "sys/error.hpp"

namespace nt::tcp_echo {

Target resolve_target(const ClientOptions& opts, int family) {
  net::EndpointRules rules;
  rules.require_port = false;
  rules.default_port = kDefaultPort;
  net::Endpoint ep = net::parse_endpoint(opts.target, rules);  // no port: ep.port is the default
  Target t;
  t.text = opts.target;
  t.addrs = net::resolve(ep, net::ResolveOptions{family, SOCK_STREAM, false});
  t.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(sys::from_seconds(opts.timeout_s));
  return t;
}

std::string transfer_error(long result) {
  if (result == -ETIMEDOUT) return "timed out";
  return std::strerror(static_cast<int>(-result));
}

int run_client(const ClientOptions& opts, cli::Runtime& rt) {
  ClientMode mode = choose_mode(opts, ::isatty(STDIN_FILENO) == 1);
  validate(opts, mode);
  Target target = resolve_target(opts, rt.global.family);
  target.stream_factory = client_stream_factory(opts.tls, opts.target, rt);
  capture::TrafficFilter traffic;
  for (const auto& addr : target.addrs) traffic.conversation(capture::Transport::tcp, addr);
  rt.capture(traffic);  // before the first connect: the SYN is in the file
  if (mode == ClientMode::pipe || mode == ClientMode::probe) {
    // One connection: once its local port is known, nothing else to that server is ours. (Load modes
    // keep the peer-wide filter: the next connection's SYN leaves before its port is known.)
    target.connected = [&rt](const net::SocketAddress& peer, uint16_t local_port) {
      rt.capture(capture::TrafficFilter().conversation(capture::Transport::tcp, peer, local_port));
    };
  }
  switch (mode) {
    case ClientMode::pipe:
      return run_pipe(opts, rt, target);
    case ClientMode::probe:
      return run_probe(opts, rt, target);
    case ClientMode::load:
    case ClientMode::bulk:
      return run_load(opts, rt, target, mode);
  }
  return kExitRuntime;
}

}  // namespace nt::tcp_echo
