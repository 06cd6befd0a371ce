// Multicast membership and sending options, IPv4 and IPv6 alike, through the protocol-independent
// API of RFC 3678 §5 (MCAST_JOIN_GROUP / MCAST_JOIN_SOURCE_GROUP with group_req and
// group_source_req, the one Linux accepts at both IPPROTO_IP and IPPROTO_IPV6). Thin wrappers:
// 0 or -errno, as SocketHandle's. Group classification follows RFC 5771 (IPv4), RFC 4607 (SSM
// ranges 232/8 and ff3x::/32) and RFC 4291 §2.7 (IPv6 scopes).
#pragma once
#include "net/address.hpp"
#include "net/socket_handle.hpp"

namespace nt::net {

// Joins `group` (its port is ignored) on interface `ifindex` (0: the kernel picks it by route).
[[nodiscard]] int join_group(SocketHandle s, const SocketAddress& group, int ifindex) noexcept;
// Source-specific join: receive `group` only from `source` (same family as the group).
[[nodiscard]] int join_source_group(SocketHandle s, const SocketAddress& group, const SocketAddress& source,
                                    int ifindex) noexcept;
// The interface multicast leaves by:
// IP_MULTICAST_IF with an ip_mreqn naming the index, or IPV6_MULTICAST_IF.
[[nodiscard]] int set_multicast_interface(SocketHandle s, int family, int ifindex) noexcept;
// IP_UNICAST_IF / IPV6_UNICAST_IF: the interface everything else (IPv4 limited broadcast among it,
// which udp_sendmsg routes by this and not by IP_MULTICAST_IF) leaves by.
[[nodiscard]] int set_unicast_interface(SocketHandle s, int family, int ifindex) noexcept;
// IP_MULTICAST_TTL / IPV6_MULTICAST_HOPS, IP_MULTICAST_LOOP / IPV6_MULTICAST_LOOP.
[[nodiscard]] int set_multicast_hops(SocketHandle s, int family, int hops) noexcept;
[[nodiscard]] int set_multicast_loop(SocketHandle s, int family, bool on) noexcept;
// IP_MULTICAST_ALL / IPV6_MULTICAST_ALL off: a socket bound to the port sees only the groups it
// joined itself, not every group any socket of the host joined (the Linux default is on).
[[nodiscard]] int set_multicast_all(SocketHandle s, int family, bool on) noexcept;
// Ask for the TTL / hop limit, TOS / traffic class and arrival interface of each datagram (cmsg).
[[nodiscard]] int enable_receive_info(SocketHandle s, int family) noexcept;

bool is_multicast(const SocketAddress& a) noexcept;
// 232.0.0.0/8 and ff3x::/32 (RFC 4607 §1): where source-specific joins belong.
bool is_source_specific_group(const SocketAddress& a) noexcept;
// IPv6 interface- and link-local scopes (ff01::/16, ff02::/16 and their flagged forms): a join
// or a send needs an interface, routing can not pick one.
bool needs_interface(const SocketAddress& a) noexcept;

}  // namespace nt::net
