#include "icmp/checksum.hpp"

namespace nt::icmp {

uint32_t checksum_partial(std::span<const std::byte> data, uint32_t sum) noexcept {
  // 64-bit accumulator: no fold needed inside the loop even for a 64 KiB payload.
  uint64_t acc = sum;
  std::size_t i = 0;
  for (; i + 1 < data.size(); i += 2) {
    acc += (static_cast<uint32_t>(data[i]) << 8) | static_cast<uint32_t>(data[i + 1]);
  }
  if (i < data.size()) acc += static_cast<uint32_t>(data[i]) << 8;  // odd length: pad with a zero byte
  while (acc >> 32) acc = (acc & 0xffffffffu) + (acc >> 32);
  return static_cast<uint32_t>(acc);
}

uint16_t checksum_finish(uint32_t sum) noexcept {
  uint64_t acc = sum;
  while (acc >> 16) acc = (acc & 0xffffu) + (acc >> 16);
  return static_cast<uint16_t>(~acc & 0xffffu);
}

}  // namespace nt::icmp
