// SOL_SOCKET options (asm-generic/socket.h), for the table in net/sockopt.hpp.
#pragma once
#include <linux/net_tstamp.h>
#include <sys/socket.h>

#include <array>

#include "net/sockopt/option.hpp"

namespace nt::net::sockopt_table {

inline constexpr EnumName kFamilies[] = {{AF_UNIX, "unix"},
                                         {AF_INET, "inet"},
                                         {AF_INET6, "inet6"},
                                         {AF_NETLINK, "netlink"},
                                         {AF_PACKET, "packet"}};
inline constexpr EnumName kSocketTypes[] = {
    {SOCK_STREAM, "stream"}, {SOCK_DGRAM, "dgram"}, {SOCK_RAW, "raw"}, {SOCK_SEQPACKET, "seqpacket"}};
inline constexpr EnumName kProtocols[] = {{0, "default"}, {1, "icmp"},   {6, "tcp"},       {17, "udp"},
                                          {58, "icmpv6"}, {132, "sctp"}, {136, "udplite"}, {255, "raw"}};

#define NT_SO(opt, type, unit, fam, types, access, ...)                                  \
  SocketOption {                                                                         \
#opt, SOL_SOCKET, opt, OptionType::type, Unit::unit, fam, types, access, __VA_ARGS__ \
  }

inline constexpr auto kSolSocket = std::to_array<SocketOption>({
    NT_SO(SO_DEBUG, boolean, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_REUSEADDR, boolean, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_TYPE, integer, none, kAnyFamily, kAnyType, kRead, kSocketTypes),
    NT_SO(SO_ERROR, integer, none, kAnyFamily, kAnyType, kRead),
    NT_SO(SO_DONTROUTE, boolean, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_BROADCAST, boolean, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_SNDBUF, integer, bytes, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_RCVBUF, integer, bytes, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_SNDBUFFORCE, integer, bytes, kAnyFamily, kAnyType, kWrite),
    NT_SO(SO_RCVBUFFORCE, integer, bytes, kAnyFamily, kAnyType, kWrite),
    NT_SO(SO_KEEPALIVE, boolean, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_OOBINLINE, boolean, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_NO_CHECK, boolean, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_PRIORITY, integer, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_LINGER, linger, seconds, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_BSDCOMPAT, boolean, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_REUSEPORT, boolean, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_PASSCRED, boolean, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_PEERCRED, ucred, none, kUnix, kAnyType, kRead),
    NT_SO(SO_RCVLOWAT, integer, bytes, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_SNDLOWAT, integer, bytes, kAnyFamily, kAnyType, kRead),
    NT_SO(SO_RCVTIMEO, timeval, seconds, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_SNDTIMEO, timeval, seconds, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_RCVTIMEO_NEW, structure, seconds, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_SNDTIMEO_NEW, structure, seconds, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_SECURITY_AUTHENTICATION, integer, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_SECURITY_ENCRYPTION_TRANSPORT, integer, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_SECURITY_ENCRYPTION_NETWORK, integer, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_BINDTODEVICE, ifname, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_BINDTOIFINDEX, integer, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_ATTACH_FILTER, structure, none, kAnyFamily, kAnyType, kWrite),  // == SO_GET_FILTER on read
    NT_SO(SO_DETACH_FILTER, integer, none, kAnyFamily, kAnyType, kWrite),
    NT_SO(SO_LOCK_FILTER, boolean, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_ATTACH_BPF, integer, none, kAnyFamily, kAnyType, kWrite),
    NT_SO(SO_ATTACH_REUSEPORT_CBPF, structure, none, kInet, kAnyType, kWrite),
    NT_SO(SO_ATTACH_REUSEPORT_EBPF, integer, none, kInet, kAnyType, kWrite),
    NT_SO(SO_DETACH_REUSEPORT_BPF, integer, none, kInet, kAnyType, kWrite),
    NT_SO(SO_BPF_EXTENSIONS, integer, none, kAnyFamily, kAnyType, kRead),
    NT_SO(SO_PEERNAME, sockaddr, none, kAnyFamily, kAnyType, kRead),
    NT_SO(SO_TIMESTAMP, boolean, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_TIMESTAMPNS, boolean, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_TIMESTAMPING, integer, none, kAnyFamily, kAnyType, kReadWrite),  // SOF_TIMESTAMPING_* flags
    NT_SO(SO_TIMESTAMP_NEW, boolean, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_TIMESTAMPNS_NEW, boolean, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_TIMESTAMPING_NEW, integer, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_ACCEPTCONN, boolean, none, kAnyFamily, kAnyType, kRead),
    NT_SO(SO_PEERSEC, string, none, kAnyFamily, kAnyType, kRead),
    NT_SO(SO_PASSSEC, boolean, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_MARK, integer, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_RCVMARK, boolean, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_PROTOCOL, integer, none, kAnyFamily, kAnyType, kRead, kProtocols),
    NT_SO(SO_DOMAIN, integer, none, kAnyFamily, kAnyType, kRead, kFamilies),
    NT_SO(SO_RXQ_OVFL, boolean, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_WIFI_STATUS, boolean, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_PEEK_OFF, integer, bytes, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_NOFCS, boolean, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_SELECT_ERR_QUEUE, boolean, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_BUSY_POLL, integer, microseconds, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_PREFER_BUSY_POLL, boolean, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_BUSY_POLL_BUDGET, integer, count, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_MAX_PACING_RATE, u64, bytes_per_second, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_INCOMING_CPU, integer, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_INCOMING_NAPI_ID, integer, none, kAnyFamily, kAnyType, kRead),
    NT_SO(SO_CNX_ADVICE, integer, none, kAnyFamily, kAnyType, kWrite),
    NT_SO(SO_MEMINFO, structure, bytes, kAnyFamily, kAnyType, kRead),  // u32[SK_MEMINFO_VARS]
    NT_SO(SO_COOKIE, u64, none, kAnyFamily, kAnyType, kRead),
    NT_SO(SO_NETNS_COOKIE, u64, none, kAnyFamily, kAnyType, kRead),
    NT_SO(SO_PEERGROUPS, structure, none, kUnix, kAnyType, kRead),  // gid_t[]
    NT_SO(SO_ZEROCOPY, boolean, none, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_TXTIME, structure, none, kAnyFamily, kAnyType, kReadWrite),  // struct sock_txtime
    NT_SO(SO_BUF_LOCK, integer, none, kAnyFamily, kAnyType,
          kReadWrite),  // SOCK_SNDBUF_LOCK | SOCK_RCVBUF_LOCK
    NT_SO(SO_RESERVE_MEM, integer, bytes, kAnyFamily, kAnyType, kReadWrite),
    NT_SO(SO_TXREHASH, integer, none, kAnyFamily, kAnyType, kReadWrite),
});

#undef NT_SO

}  // namespace nt::net::sockopt_table
