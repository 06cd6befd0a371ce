// The Internet checksum (RFC 1071): one's-complement sum of 16-bit big-endian words, odd byte padded
// with zero. ICMPv4 carries it over the ICMP message only; ICMPv6 adds a pseudo-header (RFC 4443 2.3)
// which the kernel fills in for us on both raw and datagram sockets.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

namespace nt::icmp {

// The running 32-bit sum, not yet folded: lets a constant payload be summed once and the 8-byte header
// added per probe (RFC 1071 section 2(B), "incremental update").
uint32_t checksum_partial(std::span<const std::byte> data, uint32_t sum = 0) noexcept;

// Folds carries and complements: the value to put in the checksum field.
uint16_t checksum_finish(uint32_t sum) noexcept;

inline uint16_t internet_checksum(std::span<const std::byte> data) noexcept {
  return checksum_finish(checksum_partial(data));
}

// True when a message that includes its checksum field sums to 0xffff (RFC 1071 "verify").
inline bool checksum_valid(std::span<const std::byte> data) noexcept {
  return internet_checksum(data) == 0;
}

}  // namespace nt::icmp
