#include "subcommands/portscan/address.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

namespace nt::scan {

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  std::string s(text);
  IpAddress a;
  if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) {
    a.family = AF_INET;
    return a;
  }
  if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1) {
    a.family = AF_INET6;
    return a;
  }
  return std::nullopt;
}

IpAddress IpAddress::from_socket(const net::SocketAddress& sa) {
  IpAddress a;
  if (sa.family() == AF_INET) {
    a.family = AF_INET;
    std::memcpy(a.bytes.data(), &reinterpret_cast<const sockaddr_in*>(sa.get())->sin_addr, 4);
  } else if (sa.family() == AF_INET6) {
    const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(sa.get());
    if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
      a.family = AF_INET;
      std::memcpy(a.bytes.data(), sin6->sin6_addr.s6_addr + 12, 4);
    } else {
      a.family = AF_INET6;
      std::memcpy(a.bytes.data(), sin6->sin6_addr.s6_addr, 16);
    }
  }
  return a;
}

IpAddress IpAddress::from_number(int family, uint128 value) {
  IpAddress a;
  a.family = family;
  const std::size_t n = family == AF_INET6 ? 16 : 4;
  for (std::size_t i = 0; i < n; ++i) a.bytes[n - 1 - i] = static_cast<uint8_t>(value >> (8 * i));
  return a;
}

IpAddress IpAddress::v4(uint32_t host_order) {
  return from_number(AF_INET, host_order);
}

uint128 IpAddress::number() const noexcept {
  uint128 v = 0;
  for (std::size_t i = 0; i < length(); ++i) v = (v << 8) | bytes[i];
  return v;
}

net::SocketAddress IpAddress::socket_address(uint16_t port) const {
  if (family == AF_INET6) {
    sockaddr_in6 sin6{};
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons(port);
    std::memcpy(sin6.sin6_addr.s6_addr, bytes.data(), 16);
    return net::SocketAddress(reinterpret_cast<const sockaddr*>(&sin6), sizeof sin6);
  }
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(port);
  std::memcpy(&sin.sin_addr, bytes.data(), 4);
  return net::SocketAddress(reinterpret_cast<const sockaddr*>(&sin), sizeof sin);
}

std::string IpAddress::to_string() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, bytes.data(), buf, sizeof buf);
  return buf;
}

std::size_t IpAddressHash::operator()(const IpAddress& a) const noexcept {
  uint64_t h = 1469598103934665603ULL ^ static_cast<uint64_t>(a.family);
  for (std::size_t i = 0; i < a.length(); ++i) h = (h ^ a.bytes[i]) * 1099511628211ULL;
  return static_cast<std::size_t>(h);
}

}  // namespace nt::scan
