#include "subcommands/tcp_echo/client.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "net/endpoint.hpp"
#include "net/resolver.hpp"
#include "sys/clock.hpp"
#include "sys/error.hpp"
#include "sys/privileges.hpp"

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

net::Connection connect_target(const Target& target, bool nonblocking) {
  net::Connection conn = net::connect_any(target.addrs, target.timeout, nonblocking);
  sys::drop_privileges();  // connected (root may have needed CAP_DAC_OVERRIDE for a unix socket)
  if (conn.peer.is_inet()) {
    // Small echoes must leave at once; Nagle would wait for the previous one's ACK.
    int one = 1;
    (void)::setsockopt(conn.fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  return conn;
}

std::string transfer_error(long result) {
  if (result == -ETIMEDOUT) return "timed out";
  return std::strerror(static_cast<int>(-result));
}

int run_client(const ClientOptions& opts, cli::Runtime& rt) {
  ClientMode mode = choose_mode(opts, ::isatty(STDIN_FILENO) == 1);
  validate(opts, mode);
  Target target = resolve_target(opts, rt.global.family);
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
