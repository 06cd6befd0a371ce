#include "subcommands/portscan/permutation.hpp"

#include <charconv>

#include "sys/error.hpp"

namespace nt::scan {

uint64_t mix64(uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

Permutation::Permutation(uint64_t n, uint64_t seed) : n_(n) {
  while (half_bits_ < 32 && (uint64_t{1} << (2 * half_bits_)) < n) ++half_bits_;
  half_mask_ = (uint64_t{1} << half_bits_) - 1;
  uint64_t k = seed;
  for (auto& key : keys_) key = k = mix64(k);
}

uint64_t Permutation::feistel(uint64_t x) const noexcept {
  uint64_t left = x >> half_bits_, right = x & half_mask_;
  for (uint64_t key : keys_) {
    const uint64_t next = left ^ (mix64(right ^ key) & half_mask_);
    left = right;
    right = next;
  }
  return (left << half_bits_) | right;
}

uint64_t Permutation::at(uint64_t position) const noexcept {
  if (n_ <= 1) return 0;
  // A permutation of the 2^(2h) domain restricted to [0, n) by walking the cycle: since position < n,
  // the walk reaches a value < n before it could return to position.
  uint64_t x = feistel(position);
  while (x >= n_) x = feistel(x);
  return x;
}

uint64_t Shard::size_of(uint64_t n) const noexcept {
  if (n <= index - 1) return 0;
  return (n - (index - 1) + count - 1) / count;
}

Shard parse_shard(std::string_view text) {
  auto bad = [&](std::string_view problem) -> Shard {
    throw UsageError(fmt::format("invalid shard '{}': {}", text, problem));
  };
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return bad("expected K/N, e.g. 1/4");
  Shard s;
  auto parse = [&](std::string_view part, uint64_t& out) {
    auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), out);
    return ec == std::errc() && p == part.data() + part.size() && !part.empty();
  };
  if (!parse(text.substr(0, slash), s.index) || !parse(text.substr(slash + 1), s.count))
    return bad("expected K/N with whole numbers, e.g. 1/4");
  if (s.count < 1 || s.index < 1 || s.index > s.count) return bad("K must be 1..N (shards count from 1)");
  return s;
}

}  // namespace nt::scan
