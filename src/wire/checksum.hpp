// The Internet checksum (RFC 1071): one's-complement sum of 16-bit big-endian words, an odd final byte
// padded with zero. ICMPv4 and the IPv4 header carry it over themselves; TCP, UDP and ICMPv6 add a
// pseudo-header (RFC 9293 3.1, RFC 8200 8.1), which the kernel fills in for ICMPv6 sockets.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

namespace nt::wire {

// The running sum, folded to 16 bits but not yet complemented: pieces (a pseudo-header, a constant payload
// summed once, a header per probe) add up in any order (RFC 1071 section 2, "incremental update"). Each piece
// must start at an even offset of the checksummed data.
uint32_t checksum_add(uint32_t sum, std::span<const std::byte> data) noexcept;

// Folds carries and complements: the value to put in the checksum field.
uint16_t checksum_finish(uint32_t sum) noexcept;

inline uint16_t internet_checksum(std::span<const std::byte> data) noexcept {
  return checksum_finish(checksum_add(0, data));
}

// True when data that includes its checksum field sums to 0xffff (RFC 1071 "verify").
inline bool checksum_valid(std::span<const std::byte> data) noexcept {
  return internet_checksum(data) == 0;
}

// The sum of the TCP/UDP pseudo-header: source and destination addresses (4 or 16 bytes each, same
// length), the protocol and the upper-layer length.
uint32_t pseudo_header_sum(std::span<const std::byte> src, std::span<const std::byte> dst, uint8_t protocol,
                           uint32_t length) noexcept;

}  // namespace nt::wire
