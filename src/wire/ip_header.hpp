// A read-only view of the fixed IPv4 (RFC 791) or IPv6 (RFC 8200) header at the start of a packet:
// what a raw socket, libpcap or an ICMP error's quote hands us. Extension headers are not followed.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

namespace nt::wire {

inline constexpr std::size_t kIpv4MinHeaderSize = 20;
inline constexpr std::size_t kIpv6HeaderSize = 40;

// Why a view failed, so each caller can word it for its context.
enum class IpProblem : uint8_t {
  none,
  truncated,      // shorter than the fixed header
  version,        // the version nibble is not the one asked for (or neither 4 nor 6)
  header_length,  // IPv4 IHL below 5 words
  beyond_packet,  // IPv4 IHL larger than the bytes we have
};

struct IpHeaderView {
  IpProblem problem = IpProblem::truncated;
  int family = 0;                       // AF_INET or AF_INET6
  std::size_t length = 0;               // header bytes: the upper layer starts here
  uint8_t protocol = 0;                 // IPv4 protocol / IPv6 next header
  uint8_t ttl = 0;                      // IPv4 TTL / IPv6 hop limit
  std::span<const std::byte> src, dst;  // 4 or 16 bytes inside the packet
  bool ok() const noexcept { return problem == IpProblem::none; }
  std::span<const std::byte> payload(std::span<const std::byte> packet) const noexcept {
    return packet.subspan(length);
  }
};

IpHeaderView view_ipv4(std::span<const std::byte> packet) noexcept;
IpHeaderView view_ipv6(std::span<const std::byte> packet) noexcept;
// Either, by the version nibble.
IpHeaderView view_ip(std::span<const std::byte> packet) noexcept;

}  // namespace nt::wire
