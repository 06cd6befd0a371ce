// IPPROTO_IP options (netinet/in.h, linux/in.h), for the table in net/sockopt.hpp.
#pragma once
#include <netinet/in.h>

#include <array>

#include "net/sockopt/option.hpp"

// Newer than glibc's netinet/in.h on this machine (linux/in.h cannot be included beside it).
#ifndef IP_LOCAL_PORT_RANGE
#define IP_LOCAL_PORT_RANGE 51
#endif
#ifndef IP_PROTOCOL
#define IP_PROTOCOL 52
#endif

namespace nt::net::sockopt_table {

// IP_MTU_DISCOVER / IPV6_MTU_DISCOVER: path MTU discovery modes (ip(7)).
inline constexpr EnumName kPmtuModes[] = {
    {IP_PMTUDISC_DONT, "dont"},   {IP_PMTUDISC_WANT, "want"},           {IP_PMTUDISC_DO, "do"},
    {IP_PMTUDISC_PROBE, "probe"}, {IP_PMTUDISC_INTERFACE, "interface"}, {IP_PMTUDISC_OMIT, "omit"}};
inline constexpr EnumName kIpProtocols[] = {{0, "default"}, {1, "icmp"},    {6, "tcp"},
                                            {17, "udp"},    {58, "icmpv6"}, {255, "raw"}};

#define NT_IP(opt, type, unit, types, access, ...)                                         \
  SocketOption {                                                                           \
#opt, IPPROTO_IP, opt, OptionType::type, Unit::unit, kInet, types, access, __VA_ARGS__ \
  }

inline constexpr auto kIp = std::to_array<SocketOption>({
    NT_IP(IP_TOS, integer, none, kAnyType, kReadWrite),
    NT_IP(IP_TTL, integer, hops, kAnyType, kReadWrite),
    NT_IP(IP_HDRINCL, boolean, none, kRaw, kReadWrite),
    NT_IP(IP_OPTIONS, structure, none, kAnyType, kReadWrite),  // the options, as hex (no size)
    NT_IP(IP_ROUTER_ALERT, boolean, none, kRaw, kReadWrite),
    NT_IP(IP_RECVOPTS, boolean, none, kAnyType, kReadWrite),
    NT_IP(IP_RETOPTS, boolean, none, kAnyType, kReadWrite),
    NT_IP(IP_PKTINFO, boolean, none, kAnyType, kReadWrite),
    NT_IP(IP_PKTOPTIONS, structure, none, kStream, kRead),
    NT_IP(IP_MTU_DISCOVER, integer, none, kAnyType, kReadWrite, kPmtuModes),
    NT_IP(IP_RECVERR, boolean, none, kAnyType, kReadWrite),
    NT_IP(IP_RECVTTL, boolean, none, kAnyType, kReadWrite),
    NT_IP(IP_RECVTOS, boolean, none, kAnyType, kReadWrite),
    NT_IP(IP_MTU, integer, bytes, kAnyType, kRead),
    NT_IP(IP_FREEBIND, boolean, none, kAnyType, kReadWrite),
    NT_IP(IP_IPSEC_POLICY, structure, none, kAnyType, kReadWrite),
    NT_IP(IP_XFRM_POLICY, structure, none, kAnyType, kReadWrite),
    NT_IP(IP_PASSSEC, boolean, none, kAnyType, kReadWrite),
    NT_IP(IP_TRANSPARENT, boolean, none, kAnyType, kReadWrite),
    NT_IP(IP_ORIGDSTADDR, boolean, none, kAnyType, kReadWrite),  // == IP_RECVORIGDSTADDR
    NT_IP(IP_MINTTL, integer, hops, kAnyType, kReadWrite),
    NT_IP(IP_NODEFRAG, boolean, none, kRaw, kReadWrite),
    NT_IP(IP_CHECKSUM, boolean, none, kAnyType, kReadWrite),
    NT_IP(IP_BIND_ADDRESS_NO_PORT, boolean, none, kAnyType, kReadWrite),
    NT_IP(IP_RECVFRAGSIZE, boolean, none, kAnyType, kReadWrite),
    NT_IP(IP_RECVERR_RFC4884, boolean, none, kAnyType, kReadWrite),
    NT_IP(IP_MULTICAST_IF, in_addr, none, kDgram | kRaw, kReadWrite),
    NT_IP(IP_MULTICAST_TTL, integer, hops, kDgram | kRaw, kReadWrite),
    NT_IP(IP_MULTICAST_LOOP, boolean, none, kDgram | kRaw, kReadWrite),
    NT_IP(IP_ADD_MEMBERSHIP, structure, none, kDgram | kRaw, kWrite),
    NT_IP(IP_DROP_MEMBERSHIP, structure, none, kDgram | kRaw, kWrite),
    NT_IP(IP_UNBLOCK_SOURCE, structure, none, kDgram | kRaw, kWrite),
    NT_IP(IP_BLOCK_SOURCE, structure, none, kDgram | kRaw, kWrite),
    NT_IP(IP_ADD_SOURCE_MEMBERSHIP, structure, none, kDgram | kRaw, kWrite),
    NT_IP(IP_DROP_SOURCE_MEMBERSHIP, structure, none, kDgram | kRaw, kWrite),
    NT_IP(IP_MSFILTER, structure, none, kDgram | kRaw, kReadWrite),
    NT_IP(MCAST_JOIN_GROUP, structure, none, kDgram | kRaw, kWrite),
    NT_IP(MCAST_BLOCK_SOURCE, structure, none, kDgram | kRaw, kWrite),
    NT_IP(MCAST_UNBLOCK_SOURCE, structure, none, kDgram | kRaw, kWrite),
    NT_IP(MCAST_LEAVE_GROUP, structure, none, kDgram | kRaw, kWrite),
    NT_IP(MCAST_JOIN_SOURCE_GROUP, structure, none, kDgram | kRaw, kWrite),
    NT_IP(MCAST_LEAVE_SOURCE_GROUP, structure, none, kDgram | kRaw, kWrite),
    NT_IP(MCAST_MSFILTER, structure, none, kDgram | kRaw, kReadWrite),
    NT_IP(IP_MULTICAST_ALL, boolean, none, kDgram | kRaw, kReadWrite),
    NT_IP(IP_UNICAST_IF, integer, none, kDgram | kRaw, kReadWrite),
    NT_IP(IP_LOCAL_PORT_RANGE, u32, none, kAnyType, kReadWrite),  // upper 16 bits: max, lower: min
    NT_IP(IP_PROTOCOL, integer, none, kAnyType, kRead, kIpProtocols),
});

#undef NT_IP

}  // namespace nt::net::sockopt_table
