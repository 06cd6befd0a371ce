// Network byte order (big-endian) reads and writes at an offset in a byte buffer: the one set every
// codec uses (ICMP, the SYN-scan packets, SNTP). The caller checks the length; nothing here does.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

namespace nt::wire {

inline uint8_t read_u8(std::span<const std::byte> in, std::size_t at) noexcept {
  return std::to_integer<uint8_t>(in[at]);
}
inline uint16_t read_u16(std::span<const std::byte> in, std::size_t at) noexcept {
  return static_cast<uint16_t>((read_u8(in, at) << 8) | read_u8(in, at + 1));
}
inline uint32_t read_u32(std::span<const std::byte> in, std::size_t at) noexcept {
  return (uint32_t{read_u16(in, at)} << 16) | read_u16(in, at + 2);
}

inline void write_u8(std::span<std::byte> out, std::size_t at, uint8_t v) noexcept {
  out[at] = std::byte{v};
}
inline void write_u16(std::span<std::byte> out, std::size_t at, uint16_t v) noexcept {
  out[at] = std::byte(v >> 8);
  out[at + 1] = std::byte(v & 0xff);
}
inline void write_u32(std::span<std::byte> out, std::size_t at, uint32_t v) noexcept {
  write_u16(out, at, static_cast<uint16_t>(v >> 16));
  write_u16(out, at + 2, static_cast<uint16_t>(v));
}

}  // namespace nt::wire
