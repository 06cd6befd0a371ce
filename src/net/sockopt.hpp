// The named socket-option table: every SOL_SOCKET, IPPROTO_IP, IPPROTO_IPV6, IPPROTO_TCP and
// IPPROTO_UDP option this machine's kernel headers define, with its value type, unit, the sockets it
// applies to and, for enums, the names of its values. Socket::set/get take an entry of it, found at
// compile time by name (sockopt("SO_RCVBUF")), so a misspelt option does not build; `sockopt inspect`
// walks all of it.
#pragma once
#include <algorithm>

#include "net/sockopt/option.hpp"
#include "net/sockopt/sockopt_ip.hpp"
#include "net/sockopt/sockopt_ipv6.hpp"
#include "net/sockopt/sockopt_socket.hpp"
#include "net/sockopt/sockopt_tcp_udp.hpp"

namespace nt::net {

namespace detail {
template <std::size_t... N>
constexpr auto concat(const std::array<SocketOption, N>&... parts) {
  std::array<SocketOption, (N + ...)> all{};
  std::size_t i = 0;
  ((std::copy(parts.begin(), parts.end(), all.begin() + static_cast<std::ptrdiff_t>(i)), i += N), ...);
  return all;
}
}  // namespace detail

inline constexpr auto kSocketOptions = detail::concat(sockopt_table::kSolSocket, sockopt_table::kIp,
                                                      sockopt_table::kIpv6, sockopt_table::kTcpUdp);

// The table, in level order.
constexpr std::span<const SocketOption> socket_options() noexcept {
  return kSocketOptions;
}

// The entry named `name` ("SO_RCVBUF"); at compile time, so an unknown name does not build.
consteval const SocketOption& sockopt(std::string_view name) {
  for (const auto& o : kSocketOptions)
    if (o.name == name) return o;
  throw "unknown socket option";  // not a constant expression: a compile error naming this line
}

// Run-time lookups for user input (`--set NAME=VALUE`): by header name or json key; nullptr if none.
const SocketOption* find_socket_option(std::string_view name) noexcept;
const SocketOption* find_socket_option(int level, int option) noexcept;

}  // namespace nt::net
