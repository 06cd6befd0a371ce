#include "subcommands/tcp_echo/pattern.hpp"

#include <algorithm>
#include <cstring>

namespace nt::tcp_echo {

void fill_random(std::span<std::byte> out, uint64_t& state) noexcept {
  if (state == 0) state = 0x9E3779B97F4A7C15ull;
  for (std::size_t i = 0; i < out.size(); i += 8) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    std::size_t n = std::min<std::size_t>(8, out.size() - i);
    std::memcpy(out.data() + i, &state, n);
  }
}

Pattern::Pattern(uint64_t seed) : bytes_(kBlock + kMaxChunk) {
  fill_random(std::span(bytes_).first(kBlock), seed);
  // The tail is longer than the block: copy byte by byte so it repeats the block cyclically.
  for (std::size_t i = kBlock; i < bytes_.size(); ++i) bytes_[i] = bytes_[i - kBlock];
}

std::span<const std::byte> Pattern::chunk(uint64_t phase, uint64_t offset, std::size_t len) const noexcept {
  std::size_t start = static_cast<std::size_t>((phase + offset) % kBlock);
  return std::span(bytes_).subspan(start, std::min(len, kMaxChunk));
}

std::byte Pattern::at(uint64_t phase, uint64_t offset) const noexcept {
  return bytes_[static_cast<std::size_t>((phase + offset) % kBlock)];
}

std::optional<uint64_t> Pattern::verify(uint64_t phase, uint64_t offset,
                                        std::span<const std::byte> got) const noexcept {
  while (!got.empty()) {
    std::size_t n = std::min(got.size(), kMaxChunk);
    auto want = chunk(phase, offset, n);
    if (std::memcmp(want.data(), got.data(), n) != 0) {
      auto first_bad = std::mismatch(want.begin(), want.end(), got.begin()).first;
      return offset + static_cast<uint64_t>(first_bad - want.begin());
    }
    offset += n;
    got = got.subspan(n);
  }
  return std::nullopt;
}

}  // namespace nt::tcp_echo
