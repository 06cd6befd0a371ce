// IPPROTO_IPV6 options (netinet/in.h, linux/in6.h), for the table in net/sockopt.hpp.
#pragma once
#include <netinet/in.h>

#include <array>

#include "net/sockopt/option.hpp"

// In linux/in6.h only (which cannot be included beside glibc's netinet/in.h).
#ifndef IPV6_FLOWINFO
#define IPV6_FLOWINFO 11
#endif
#ifndef IPV6_FLOWLABEL_MGR
#define IPV6_FLOWLABEL_MGR 32
#endif
#ifndef IPV6_FLOWINFO_SEND
#define IPV6_FLOWINFO_SEND 33
#endif
#ifndef IPV6_USE_MIN_MTU
#define IPV6_USE_MIN_MTU 63
#endif

namespace nt::net::sockopt_table {

inline constexpr EnumName kPmtu6Modes[] = {
    {IPV6_PMTUDISC_DONT, "dont"},   {IPV6_PMTUDISC_WANT, "want"},           {IPV6_PMTUDISC_DO, "do"},
    {IPV6_PMTUDISC_PROBE, "probe"}, {IPV6_PMTUDISC_INTERFACE, "interface"}, {IPV6_PMTUDISC_OMIT, "omit"}};
inline constexpr EnumName kAddrForms[] = {{2 /* AF_INET */, "inet"}, {10 /* AF_INET6 */, "inet6"}};

#define NT_V6(opt, type, unit, types, access, ...)                                           \
  SocketOption {                                                                             \
#opt, IPPROTO_IPV6, opt, OptionType::type, Unit::unit, kIPv6, types, access, __VA_ARGS__ \
  }

inline constexpr auto kIpv6 = std::to_array<SocketOption>({
    NT_V6(IPV6_ADDRFORM, integer, none, kStream | kDgram, kWrite, kAddrForms),
    NT_V6(IPV6_2292PKTINFO, boolean, none, kAnyType, kReadWrite),
    NT_V6(IPV6_2292HOPOPTS, boolean, none, kAnyType, kReadWrite),
    NT_V6(IPV6_2292DSTOPTS, boolean, none, kAnyType, kReadWrite),
    NT_V6(IPV6_2292RTHDR, boolean, none, kAnyType, kReadWrite),
    NT_V6(IPV6_2292PKTOPTIONS, structure, none, kStream, kReadWrite),
    NT_V6(IPV6_CHECKSUM, integer, none, kRaw, kReadWrite),  // offset of the checksum, -1: none
    NT_V6(IPV6_2292HOPLIMIT, boolean, none, kAnyType, kReadWrite),
    NT_V6(IPV6_NEXTHOP, sockaddr, none, kAnyType, kWrite),
    NT_V6(IPV6_AUTHHDR, boolean, none, kAnyType, kReadWrite),
    NT_V6(IPV6_FLOWINFO, boolean, none, kAnyType, kReadWrite),
    NT_V6(IPV6_UNICAST_HOPS, integer, hops, kAnyType, kReadWrite),  // -1: the route's default
    NT_V6(IPV6_MULTICAST_IF, integer, none, kDgram | kRaw, kReadWrite),
    NT_V6(IPV6_MULTICAST_HOPS, integer, hops, kDgram | kRaw, kReadWrite),
    NT_V6(IPV6_MULTICAST_LOOP, boolean, none, kDgram | kRaw, kReadWrite),
    NT_V6(IPV6_ADD_MEMBERSHIP, structure, none, kDgram | kRaw, kWrite),   // == IPV6_JOIN_GROUP
    NT_V6(IPV6_DROP_MEMBERSHIP, structure, none, kDgram | kRaw, kWrite),  // == IPV6_LEAVE_GROUP
    NT_V6(IPV6_ROUTER_ALERT, integer, none, kRaw, kReadWrite),
    NT_V6(IPV6_MTU_DISCOVER, integer, none, kAnyType, kReadWrite, kPmtu6Modes),
    NT_V6(IPV6_MTU, integer, bytes, kAnyType, kReadWrite),
    NT_V6(IPV6_RECVERR, boolean, none, kAnyType, kReadWrite),
    NT_V6(IPV6_V6ONLY, boolean, none, kAnyType, kReadWrite),
    NT_V6(IPV6_JOIN_ANYCAST, structure, none, kAnyType, kWrite),
    NT_V6(IPV6_LEAVE_ANYCAST, structure, none, kAnyType, kWrite),
    NT_V6(IPV6_MULTICAST_ALL, boolean, none, kDgram | kRaw, kReadWrite),
    NT_V6(IPV6_ROUTER_ALERT_ISOLATE, boolean, none, kRaw, kReadWrite),
    NT_V6(IPV6_RECVERR_RFC4884, boolean, none, kAnyType, kReadWrite),
    NT_V6(IPV6_FLOWLABEL_MGR, structure, none, kAnyType, kReadWrite),
    NT_V6(IPV6_FLOWINFO_SEND, boolean, none, kAnyType, kReadWrite),
    NT_V6(IPV6_IPSEC_POLICY, structure, none, kAnyType, kReadWrite),
    NT_V6(IPV6_XFRM_POLICY, structure, none, kAnyType, kReadWrite),
    NT_V6(IPV6_HDRINCL, boolean, none, kRaw, kReadWrite),
    NT_V6(IPV6_RECVPKTINFO, boolean, none, kAnyType, kReadWrite),
    NT_V6(IPV6_PKTINFO, structure, none, kAnyType, kReadWrite),  // sticky in6_pktinfo
    NT_V6(IPV6_RECVHOPLIMIT, boolean, none, kAnyType, kReadWrite),
    NT_V6(IPV6_HOPLIMIT, boolean, none, kAnyType, kReadWrite),
    NT_V6(IPV6_RECVHOPOPTS, boolean, none, kAnyType, kReadWrite),
    NT_V6(IPV6_HOPOPTS, structure, none, kAnyType, kReadWrite),
    NT_V6(IPV6_RTHDRDSTOPTS, structure, none, kAnyType, kReadWrite),
    NT_V6(IPV6_RECVRTHDR, boolean, none, kAnyType, kReadWrite),
    NT_V6(IPV6_RTHDR, structure, none, kAnyType, kReadWrite),
    NT_V6(IPV6_RECVDSTOPTS, boolean, none, kAnyType, kReadWrite),
    NT_V6(IPV6_DSTOPTS, structure, none, kAnyType, kReadWrite),
    NT_V6(IPV6_RECVPATHMTU, boolean, none, kDgram | kRaw, kReadWrite),
    NT_V6(IPV6_PATHMTU, structure, none, kAnyType, kRead),  // struct ip6_mtuinfo
    NT_V6(IPV6_DONTFRAG, boolean, none, kDgram | kRaw, kReadWrite),
    NT_V6(IPV6_USE_MIN_MTU, boolean, none, kAnyType, kReadWrite),
    NT_V6(IPV6_RECVTCLASS, boolean, none, kAnyType, kReadWrite),
    NT_V6(IPV6_TCLASS, integer, none, kAnyType, kReadWrite),
    NT_V6(IPV6_AUTOFLOWLABEL, boolean, none, kAnyType, kReadWrite),
    NT_V6(IPV6_ADDR_PREFERENCES, integer, none, kAnyType, kReadWrite),  // IPV6_PREFER_SRC_* flags
    NT_V6(IPV6_MINHOPCOUNT, integer, hops, kAnyType, kReadWrite),
    NT_V6(IPV6_ORIGDSTADDR, boolean, none, kAnyType, kReadWrite),  // == IPV6_RECVORIGDSTADDR
    NT_V6(IPV6_TRANSPARENT, boolean, none, kAnyType, kReadWrite),
    NT_V6(IPV6_UNICAST_IF, integer, none, kDgram | kRaw, kReadWrite),
    NT_V6(IPV6_RECVFRAGSIZE, boolean, none, kAnyType, kReadWrite),
    NT_V6(IPV6_FREEBIND, boolean, none, kAnyType, kReadWrite),
});

#undef NT_V6

}  // namespace nt::net::sockopt_table
