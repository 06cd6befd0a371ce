// The receiving and sending sockets of `multicast` (declared in group.hpp).
#include <netinet/in.h>

#include <cstring>

#include "net/multicast.hpp"
#include "net/socket_calls.hpp"
#include "subcommands/multicast/group.hpp"
#include "sys/error.hpp"

namespace nt::multicast {

namespace {
int ifindex_of(const Group& g) {
  return g.iface ? g.iface->index : 0;
}

// What the kernel's refusal of a join means and how to fix it.
[[noreturn]] void join_failed(const Group& g, const net::SocketAddress* source, int err) {
  const bool v6 = g.address.family() == AF_INET6;
  const std::string what = source ? fmt::format("joining {} from source {} on {}", g.address.host(),
                                                source->host(), interface_text(g))
                                  : fmt::format("joining {} on {}", g.address.host(), interface_text(g));
  if (err == ENOBUFS) {
    const char* limit = source ? (v6 ? "net.ipv6.mld_max_msf" : "net.ipv4.igmp_max_msf")
                               : (v6 ? "net.core.optmem_max" : "net.ipv4.igmp_max_memberships");
    throw RuntimeError(fmt::format("{}: join limit reached: raise {} (sysctl -w {}=N)", what, limit, limit));
  }
  if (err == ENODEV) {
    throw RuntimeError(
        fmt::format("{}: no interface for the group: add a route ({} dev IFACE) or use --iface", what,
                    v6 ? "ip -6 route add ff00::/8 table local" : "ip route add 224.0.0.0/4"));
  }
  throw RuntimeError(fmt::format("{}: {}", what, std::strerror(err)));
}

void join(net::SocketHandle s, const Group& g, const std::vector<net::SocketAddress>& sources) {
  if (sources.empty()) {
    if (const int rc = net::join_group(s, g.address, ifindex_of(g)); rc != 0) join_failed(g, nullptr, -rc);
    return;
  }
  for (const net::SocketAddress& src : sources) {
    if (const int rc = net::join_source_group(s, g.address, src, ifindex_of(g)); rc != 0)
      join_failed(g, &src, -rc);
  }
}

void check(int rc, const char* what) {
  if (rc != 0) throw RuntimeError(fmt::format("setting {}: {}", what, std::strerror(-rc)));
}

}  // namespace

net::UniqueFd open_receiver(const Group& g, const std::vector<net::SocketAddress>& sources,
                            const RecvOptions& o) {
  const int family = g.address.family();
  net::UniqueFd fd = net::open_socket(family, SOCK_DGRAM, 0, true);
  const net::SocketHandle s(fd);
  net::set_option_or_throw(s, net::sockopt("SO_REUSEADDR"), 1);
  // Above net.core.rmem_max only with CAP_NET_ADMIN (SO_RCVBUFFORCE); otherwise the clamped request.
  if (s.set_int(net::sockopt("SO_RCVBUFFORCE"), o.buffer) != 0)
    (void)s.set_int(net::sockopt("SO_RCVBUF"), o.buffer);
  check(net::enable_receive_info(s, family), "the receive cmsgs (TTL, TOS, pktinfo, timestamp)");
  net::bind_or_throw(s, scoped_address(g));
  if (g.broadcast) return fd;
  // Linux delivers every group any socket of the host joined to each socket bound to the port
  // (IP_MULTICAST_ALL defaults to 1); off, this socket sees only its own joins.
  check(net::set_multicast_all(s, family, false),
        family == AF_INET6 ? "IPV6_MULTICAST_ALL" : "IP_MULTICAST_ALL");
  join(s, g, sources);
  return fd;
}

namespace {
void bind_source(net::SocketHandle s, const std::string& source, int family) {
  std::optional<net::SocketAddress> src = net::SocketAddress::from_ip(source);
  if (!src || src->family() != family) {
    throw UsageError(
        fmt::format("invalid --source '{}': expected an address of this host in the group's family", source));
  }
  net::bind_or_throw(s, *src);
}

// Connecting checks the route now, with a message naming the fix.
void connect_to_group(net::SocketHandle s, const Group& g) {
  const net::SocketAddress to = scoped_address(g);
  const int rc = s.connect(to);
  if (rc == 0) return;
  if (-rc == ENETUNREACH) {
    throw RuntimeError(fmt::format(
        "no route for {}: add one (ip route add {} dev IFACE) or name the interface with --iface",
        g.address.host(), g.address.family() == AF_INET6 ? "ff00::/8 table local" : "224.0.0.0/4"));
  }
  net::throw_call_error("connect", to, -rc);
}
}  // namespace

net::UniqueFd open_sender(const Group& g, const SendOptions& o) {
  const int family = g.address.family();
  net::UniqueFd fd = net::open_socket(family, SOCK_DGRAM, 0, true);
  const net::SocketHandle s(fd);
  if (!o.source.empty()) bind_source(s, o.source, family);
  if (g.broadcast) {
    net::set_option_or_throw(s, net::sockopt("SO_BROADCAST"), 1);
    net::set_option_or_throw(s, net::sockopt("IP_TTL"), o.hops);  // broadcast leaves with the unicast TTL
  }
  if (g.iface) check(net::set_multicast_interface(s, family, g.iface->index), "the multicast interface");
  if (g.iface && g.broadcast) check(net::set_unicast_interface(s, family, g.iface->index), "IP_UNICAST_IF");
  check(net::set_multicast_hops(s, family, o.hops),
        family == AF_INET6 ? "IPV6_MULTICAST_HOPS" : "IP_MULTICAST_TTL");
  check(net::set_multicast_loop(s, family, parse_on_off("--loop", o.loop)), "the multicast loop");
  if (o.tos != 0) {
    net::set_option_or_throw(s, family == AF_INET6 ? net::sockopt("IPV6_TCLASS") : net::sockopt("IP_TOS"),
                             o.tos);
  }
  // A broadcast socket stays unconnected: each datagram names its destination, and 255.255.255.255
  // without --iface is routed per datagram (by IP_UNICAST_IF when given).
  if (!g.broadcast) connect_to_group(s, g);
  return fd;
}

}  // namespace nt::multicast
