#include "subcommands/chat/client_connect.hpp"

#include "net/endpoint.hpp"
#include "net/resolver.hpp"
#include "net/socket.hpp"
#include "subcommands/chat/server_options.hpp"

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

}  // namespace nt::chat
