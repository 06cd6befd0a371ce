#include "subcommands/multicast/group.hpp"

#include <net/if.h>
#include <netinet/in.h>

#include <cstring>

#include "net/endpoint.hpp"
#include "net/multicast.hpp"
#include "net/route.hpp"
#include "net/socket_calls.hpp"
#include "sys/error.hpp"

namespace nt::multicast {

namespace {
std::string route_fix(const net::SocketAddress& group) {
  return group.family() == AF_INET6 ? "ip -6 route add ff00::/8 dev IFACE table local"
                                    : "ip route add 224.0.0.0/4 dev IFACE";
}

net::SocketAddress parse_target(const std::string& target, bool broadcast) {
  net::EndpointRules rules;
  rules.allow_local = false;
  const net::Endpoint ep = net::parse_endpoint(target, rules);
  std::optional<net::SocketAddress> addr = net::SocketAddress::from_ip(ep.host, ep.port);
  if (!addr) throw UsageError(fmt::format("invalid group '{}': expected an IPv4 or IPv6 address", target));
  if (ep.port == 0)
    throw UsageError(fmt::format("invalid group '{}': port 0 (give the port to use)", target));
  if (broadcast && addr->family() != AF_INET) {
    throw UsageError(fmt::format("invalid group '{}': --broadcast is IPv4 only (IPv6 has ff02::1)", target));
  }
  if (!broadcast && !net::is_multicast(*addr)) {
    throw UsageError(fmt::format(
        "invalid group '{}': not a multicast address (224.0.0.0/4, ff00::/8; --broadcast for broadcast)",
        target));
  }
  return *addr;
}

int scope_of(const net::SocketAddress& a) {
  if (a.family() != AF_INET6) return 0;
  return static_cast<int>(reinterpret_cast<const sockaddr_in6*>(a.get())->sin6_scope_id);
}

// No --iface and no scope: the interface the routing table sends the group out of (rtnetlink).
std::optional<net::Interface> route_interface(const net::SocketAddress& group, bool broadcast) {
  const int index = net::route_output_interface(group);
  if (index < 0 && -index == ENETUNREACH && !broadcast) {
    throw RuntimeError(
        fmt::format("no route for multicast group {}: add one ({}) or name the interface "
                    "with --iface",
                    group.host(), route_fix(group)));
  }
  if (index < 0) {
    throw RuntimeError(fmt::format("no route to {} ({}): name the interface with --iface", group.host(),
                                   std::strerror(-index)));
  }
  return net::interface_by_index(index);
}

bool is_wildcard(const net::SocketAddress& a) {
  return a.host() == "0.0.0.0";
}

void check_interface(const net::Interface& i, bool broadcast) {
  const unsigned needed = broadcast ? IFF_BROADCAST : IFF_MULTICAST;
  if ((i.flags & needed) == 0) {
    throw RuntimeError(fmt::format("interface {} has no {} flag: ip link set {} {}", i.name,
                                   broadcast ? "BROADCAST" : "MULTICAST", i.name,
                                   broadcast ? "broadcast BROADCAST-ADDRESS" : "multicast on"));
  }
  if ((i.flags & IFF_UP) == 0)
    throw RuntimeError(fmt::format("interface {} is down: ip link set {} up", i.name, i.name));
}
}  // namespace

Group resolve_group(const std::string& target, const std::string& iface, bool broadcast) {
  Group g{parse_target(target, broadcast), std::nullopt, broadcast};
  const int scope = scope_of(g.address);
  if (!iface.empty()) g.iface = net::parse_interface(iface);
  if (scope != 0 && g.iface && g.iface->index != scope) {
    throw UsageError(
        fmt::format("invalid --iface '{}': the group '{}' names another interface", iface, target));
  }
  if (scope != 0 && !g.iface) g.iface = net::interface_by_index(scope);
  if (!g.iface && net::needs_interface(g.address)) {
    throw UsageError(
        fmt::format("invalid group '{}': a link-local group needs an interface ([{}%IFACE]:{} or --iface)",
                    target, g.address.host(), g.address.port()));
  }
  // A broadcast receiver bound to 0.0.0.0 takes every interface: no route to look up.
  if (!g.iface && !(broadcast && is_wildcard(g.address))) g.iface = route_interface(g.address, broadcast);
  if (g.iface) check_interface(*g.iface, broadcast);
  return g;
}

std::vector<net::SocketAddress> resolve_sources(const std::vector<std::string>& sources, const Group& g,
                                                cli::Runtime& rt) {
  std::vector<net::SocketAddress> out;
  for (const std::string& s : sources) {
    std::optional<net::SocketAddress> a = net::SocketAddress::from_ip(s);
    if (!a || a->family() != g.address.family()) {
      throw UsageError(fmt::format("invalid --source '{}': expected an {} address (the group's family)", s,
                                   g.address.family() == AF_INET6 ? "IPv6" : "IPv4"));
    }
    out.push_back(*a);
  }
  if (!out.empty() && !net::is_source_specific_group(g.address)) {
    rt.warn(
        fmt::format("group {} is outside the source-specific ranges (232.0.0.0/8, ff3x::/32): the join "
                    "works here, but routers may forward it any-source",
                    g.address.host()));
  }
  return out;
}

net::SocketAddress scoped_address(const Group& g) {
  net::SocketAddress a = g.address;
  if (g.iface && net::needs_interface(a)) {
    reinterpret_cast<sockaddr_in6*>(a.get_mut())->sin6_scope_id = static_cast<uint32_t>(g.iface->index);
  }
  return a;
}

std::string interface_text(const Group& g) {
  if (g.iface) return fmt::format("{} ({})", g.iface->name, g.iface->index);
  return g.broadcast ? "every interface" : "the route's interface";
}

}  // namespace nt::multicast
