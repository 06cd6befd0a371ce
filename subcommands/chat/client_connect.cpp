#include "subcommands/chat/client_connect.hpp"

#include <fmt/format.h>

#include <cerrno>

#include "net/endpoint.hpp"
#include "net/resolver.hpp"
#include "net/socket.hpp"
#include "subcommands/chat/server_options.hpp"
#include "sys/error.hpp"
#include "sys/privileges.hpp"

namespace nt::chat {

ClientTarget resolve_client_target(const std::string& target, int family, std::chrono::milliseconds timeout) {
  net::EndpointRules rules;
  rules.require_port = false;
  rules.default_port = kDefaultPort;  // chat-server's
  net::Endpoint ep = net::parse_endpoint(target, rules);
  ClientTarget t;
  t.text = target;
  t.addrs = net::resolve(ep, net::ResolveOptions{family, SOCK_STREAM, false});
  t.timeout = timeout;
  return t;
}

ConnectedStream connect_client(const ClientTarget& target) {
  if (target.connecting) target.connecting();
  net::Connection conn = net::connect_any(target.addrs, target.timeout, true);
  if (target.connected && conn.peer.is_inet())
    target.connected(conn.peer, net::local_address(conn.fd.get()).port());
  sys::drop_privileges();  // connected (root may have needed CAP_DAC_OVERRIDE for a unix socket)
  // A chat line should leave when typed, not wait for the previous one's ACK (Nagle).
  if (conn.peer.is_inet()) net::set_no_delay(conn.fd.get());
  ConnectedStream cs{target.stream_factory(std::move(conn.fd), conn.peer), conn.peer};
  net::IoResult r = net::complete_handshake(*cs.stream, target.timeout);
  if (r.error == EINTR) throw RuntimeError(fmt::format("connecting to {}: interrupted", conn.peer));
  if (!r.ok()) {
    std::string why = r.error == ETIMEDOUT ? "timed out" : cs.stream->error_text();
    throw RuntimeError(fmt::format("handshake with {}: {}", conn.peer, why));
  }
  return cs;
}

}  // namespace nt::chat
