// The socket-option table's entry type (net/sockopt.hpp has the table and its lookups).
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace nt::net {

// How the kernel passes the value (getsockopt/setsockopt optval).
enum class OptionType : uint8_t {
  integer,    // int
  boolean,    // int, 0 or 1
  u32,        // unsigned 32-bit (SO_MAX_PACING_RATE, SO_MEMINFO entries)
  u64,        // uint64_t (SO_COOKIE, SO_NETNS_COOKIE)
  timeval,    // struct timeval (SO_RCVTIMEO, SO_SNDTIMEO)
  linger,     // struct linger
  string,     // NUL-terminated name (TCP_CONGESTION, TCP_ULP)
  ifname,     // interface name (SO_BINDTODEVICE)
  ucred,      // struct ucred (SO_PEERCRED)
  sockaddr,   // a socket address (SO_PEERNAME, IP/IPV6_ORIGDSTADDR)
  in_addr,    // struct in_addr (IP_MULTICAST_IF on read)
  tcp_info,   // struct tcp_info (length as the kernel returns it)
  structure,  // another struct (membership requests, filters, keys…): raw bytes
};

enum class Unit : uint8_t { none, bytes, seconds, milliseconds, microseconds, bytes_per_second, count, hops };

// Which sockets an option applies to: a family bit and a type bit must both match.
enum : uint8_t { kIPv4 = 1, kIPv6 = 2, kUnix = 4, kInet = kIPv4 | kIPv6, kAnyFamily = 7 };
enum : uint8_t { kStream = 1, kDgram = 2, kRaw = 4, kSeqpacket = 8, kAnyType = 15 };
enum : uint8_t { kRead = 1, kWrite = 2, kReadWrite = 3 };

struct EnumName {
  int value;
  std::string_view name;
};

struct SocketOption {
  std::string_view name;  // as in the headers: "SO_RCVBUF"
  int level;
  int option;
  OptionType type;
  Unit unit;
  uint8_t families;
  uint8_t types;
  uint8_t access;
  std::span<const EnumName> values = {};  // names of enum values (IP_MTU_DISCOVER: "want", …)
};

// "rcvbuf_bytes", "keepidle_s", "user_timeout_ms": the name without its prefix, lower case, plus the unit.
std::string json_key(const SocketOption& o);
std::string_view unit_suffix(Unit u) noexcept;
// The enum value's name, or "" when the option has none for it.
std::string_view value_name(const SocketOption& o, int value) noexcept;
bool applies_to(const SocketOption& o, int family, int type) noexcept;
std::string_view level_name(int level) noexcept;

}  // namespace nt::net
