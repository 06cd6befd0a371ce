#include "net/multicast.hpp"

#include <netinet/in.h>

#include <cstring>

namespace nt::net {

namespace {
int level_of(int family) noexcept {
  return family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
}

void copy_address(sockaddr_storage& out, const SocketAddress& a) noexcept {
  std::memset(&out, 0, sizeof out);
  std::memcpy(&out, a.get(), a.size());
  // The port means nothing here; a scope id stays (the kernel ignores it in favour of gr_interface).
  if (a.family() == AF_INET) reinterpret_cast<sockaddr_in&>(out).sin_port = 0;
  if (a.family() == AF_INET6) reinterpret_cast<sockaddr_in6&>(out).sin6_port = 0;
}

const in6_addr& v6_of(const SocketAddress& a) noexcept {
  return reinterpret_cast<const sockaddr_in6*>(a.get())->sin6_addr;
}
uint32_t v4_of(const SocketAddress& a) noexcept {
  return ntohl(reinterpret_cast<const sockaddr_in*>(a.get())->sin_addr.s_addr);
}
}  // namespace

int join_group(SocketHandle s, const SocketAddress& group, int ifindex) noexcept {
  group_req req{};
  req.gr_interface = static_cast<uint32_t>(ifindex);
  copy_address(req.gr_group, group);
  return s.set_raw(level_of(group.family()), MCAST_JOIN_GROUP, &req, sizeof req);
}

int join_source_group(SocketHandle s, const SocketAddress& group, const SocketAddress& source,
                      int ifindex) noexcept {
  group_source_req req{};
  req.gsr_interface = static_cast<uint32_t>(ifindex);
  copy_address(req.gsr_group, group);
  copy_address(req.gsr_source, source);
  return s.set_raw(level_of(group.family()), MCAST_JOIN_SOURCE_GROUP, &req, sizeof req);
}

int set_multicast_interface(SocketHandle s, int family, int ifindex) noexcept {
  if (family == AF_INET6) return s.set_int(sockopt("IPV6_MULTICAST_IF"), ifindex);
  ip_mreqn req{};  // ip_mreqn (not in_addr): names the interface by index, address left any
  req.imr_ifindex = ifindex;
  return s.set_raw(IPPROTO_IP, IP_MULTICAST_IF, &req, sizeof req);
}

int set_unicast_interface(SocketHandle s, int family, int ifindex) noexcept {
  // Both take the index in network byte order (do_ip_setsockopt / do_ipv6_setsockopt: ntohl).
  const int value = static_cast<int>(htonl(static_cast<uint32_t>(ifindex)));
  return family == AF_INET6 ? s.set_int(sockopt("IPV6_UNICAST_IF"), value)
                            : s.set_int(sockopt("IP_UNICAST_IF"), value);
}

int set_multicast_hops(SocketHandle s, int family, int hops) noexcept {
  return family == AF_INET6 ? s.set_int(sockopt("IPV6_MULTICAST_HOPS"), hops)
                            : s.set_int(sockopt("IP_MULTICAST_TTL"), hops);
}

int set_multicast_loop(SocketHandle s, int family, bool on) noexcept {
  return family == AF_INET6 ? s.set_int(sockopt("IPV6_MULTICAST_LOOP"), on ? 1 : 0)
                            : s.set_int(sockopt("IP_MULTICAST_LOOP"), on ? 1 : 0);
}

int set_multicast_all(SocketHandle s, int family, bool on) noexcept {
  return family == AF_INET6 ? s.set_int(sockopt("IPV6_MULTICAST_ALL"), on ? 1 : 0)
                            : s.set_int(sockopt("IP_MULTICAST_ALL"), on ? 1 : 0);
}

int enable_receive_info(SocketHandle s, int family) noexcept {
  const bool v6 = family == AF_INET6;
  for (const SocketOption* o :
       {v6 ? &sockopt("IPV6_RECVHOPLIMIT") : &sockopt("IP_RECVTTL"),
        v6 ? &sockopt("IPV6_RECVTCLASS") : &sockopt("IP_RECVTOS"),
        v6 ? &sockopt("IPV6_RECVPKTINFO") : &sockopt("IP_PKTINFO"), &sockopt("SO_TIMESTAMPNS")}) {
    if (const int rc = s.set_int(*o, 1); rc != 0) return rc;
  }
  return 0;
}

bool is_multicast(const SocketAddress& a) noexcept {
  if (a.family() == AF_INET) return (v4_of(a) >> 28) == 0xe;
  return a.family() == AF_INET6 && IN6_IS_ADDR_MULTICAST(&v6_of(a));
}

bool is_source_specific_group(const SocketAddress& a) noexcept {
  if (a.family() == AF_INET) return (v4_of(a) >> 24) == 232;
  if (a.family() != AF_INET6) return false;
  const uint8_t* b = v6_of(a).s6_addr;
  return b[0] == 0xff && (b[1] & 0xf0) == 0x30 && b[2] == 0 && b[3] == 0;
}

bool needs_interface(const SocketAddress& a) noexcept {
  if (a.family() != AF_INET6 || !is_multicast(a)) return false;
  const int scope = v6_of(a).s6_addr[1] & 0x0f;  // RFC 4291 §2.7 scop
  return scope == 1 || scope == 2;
}

}  // namespace nt::net
