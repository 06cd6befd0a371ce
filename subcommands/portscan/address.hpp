// Raw IP addresses as values for scanning: arithmetic over ranges (CIDR blocks, a-b spans) needs the
// address as a 128-bit number; sockets need a SocketAddress. IPv4 lives in the low 32 bits.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "net/address.hpp"

namespace nt::scan {

__extension__ typedef unsigned __int128 uint128;

struct IpAddress {
  int family = 0;                   // AF_INET or AF_INET6
  std::array<uint8_t, 16> bytes{};  // network order; IPv4 uses the first 4 bytes

  static std::optional<IpAddress> parse(std::string_view text);  // numeric literal only
  static IpAddress from_socket(const net::SocketAddress& sa);
  static IpAddress from_number(int family, uint128 value);
  static IpAddress v4(uint32_t host_order);

  uint128 number() const noexcept;
  std::size_t length() const noexcept { return family == AF_INET6 ? 16 : 4; }
  net::SocketAddress socket_address(uint16_t port) const;
  std::string to_string() const;

  bool operator==(const IpAddress&) const = default;
};

struct IpAddressHash {
  std::size_t operator()(const IpAddress& a) const noexcept;
};

}  // namespace nt::scan
