// The order of a scan: a seeded pseudo-random permutation of [0, n) so probes spread over hosts and
// ports, and shards that split that one permutation across machines with no overlap and no gap.
#pragma once
#include <cstdint>
#include <string_view>

namespace nt::scan {

// A bijection on [0, n): a 4-round balanced Feistel network on the smallest even-width bit domain
// holding n, with cycle walking (re-encrypt until the value falls inside [0, n); expected < 4 steps).
class Permutation {
 public:
  Permutation(uint64_t n, uint64_t seed);
  uint64_t size() const noexcept { return n_; }
  uint64_t at(uint64_t position) const noexcept;

 private:
  uint64_t feistel(uint64_t x) const noexcept;
  uint64_t n_;
  unsigned half_bits_ = 1;
  uint64_t half_mask_ = 1;
  uint64_t keys_[4] = {};
};

// Shard K of N (K counts from 1): the positions K-1, K-1+N, K-1+2N, … of the permutation.
struct Shard {
  uint64_t index = 1;
  uint64_t count = 1;

  // Positions in this shard among n: ceil((n - (K-1)) / N).
  uint64_t size_of(uint64_t n) const noexcept;
  uint64_t position(uint64_t i) const noexcept { return (index - 1) + i * count; }
};

// "K/N" with 1 <= K <= N. Throws UsageError("invalid shard 'X': …").
Shard parse_shard(std::string_view text);

// splitmix64: a good 64-bit mixer, used for round keys and sequence numbers.
uint64_t mix64(uint64_t x) noexcept;

}  // namespace nt::scan
