// An IP address as a value: family plus the address bytes in network order (IPv4 in the first 4).
// The one type for "an IP address" below the socket layer: scan targets and ranges, the ICMP codec's
// quoted destinations, packet headers, rate-limiter keys, host lookups. Arithmetic over ranges (CIDR
// blocks, a-b spans) uses the address as a 128-bit number; sockets need a SocketAddress.
#pragma once
#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "net/address.hpp"

namespace nt::net {

__extension__ typedef unsigned __int128 uint128;

struct IpAddress {
  int family = 0;                   // AF_INET or AF_INET6; 0 when absent
  std::array<uint8_t, 16> bytes{};  // network order; IPv4 uses the first 4 bytes

  static std::optional<IpAddress> parse(std::string_view text);  // numeric literal only, no %scope
  // IPv4-mapped IPv6 (::ffff:a.b.c.d) becomes IPv4, so both spellings of one host compare equal.
  static IpAddress from_sockaddr(const sockaddr* sa) noexcept;
  static IpAddress from_socket(const SocketAddress& sa) noexcept { return from_sockaddr(sa.get()); }
  // 4 or 16 bytes as they stand in a packet.
  static IpAddress from_bytes(int family, std::span<const std::byte> bytes) noexcept;
  static IpAddress from_number(int family, uint128 value) noexcept;
  static IpAddress v4(uint32_t host_order) noexcept;

  uint128 number() const noexcept;
  std::size_t length() const noexcept { return family == AF_INET6 ? 16 : 4; }
  std::span<const std::byte> view() const noexcept { return std::as_bytes(std::span(bytes).first(length())); }
  SocketAddress socket_address(uint16_t port) const;
  std::string to_string() const;

  bool operator==(const IpAddress&) const = default;
};

struct IpAddressHash {
  std::size_t operator()(const IpAddress& a) const noexcept;
};

}  // namespace nt::net
