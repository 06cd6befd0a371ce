#include "wire/checksum.hpp"

#include "wire/big_endian.hpp"

namespace nt::wire {

namespace {
// End-around carry until the sum fits 16 bits: the one's-complement sum, not yet complemented.
uint32_t fold(uint64_t acc) noexcept {
  while (acc >> 16) acc = (acc & 0xffffu) + (acc >> 16);
  return static_cast<uint32_t>(acc);
}
}  // namespace

uint32_t checksum_add(uint32_t sum, std::span<const std::byte> data) noexcept {
  // 64-bit accumulator: no fold needed inside the loop even for a 64 KiB payload.
  uint64_t acc = sum;
  std::size_t i = 0;
  for (; i + 1 < data.size(); i += 2) acc += read_u16(data, i);
  if (i < data.size()) acc += uint32_t{read_u8(data, i)} << 8;  // odd length: pad with a zero byte
  return fold(acc);
}

uint16_t checksum_finish(uint32_t sum) noexcept {
  return static_cast<uint16_t>(~fold(sum) & 0xffffu);
}

uint32_t pseudo_header_sum(std::span<const std::byte> src, std::span<const std::byte> dst, uint8_t protocol,
                           uint32_t length) noexcept {
  uint64_t acc = checksum_add(checksum_add(0, src), dst);
  acc += protocol;
  acc += length >> 16;
  acc += length & 0xffff;
  return fold(acc);
}

}  // namespace nt::wire
