// The one latency summary every subcommand reports (rtt_ms_* fields), in fixed memory however long a
// run lasts (ping -f for a day, tcp-echo load at a million round trips a second). Adding a sample is
// O(1) and never allocates (the bucket array is allocated once, with the first sample).
//
// - count, min, max: exact. avg and mdev: exact up to rounding, by Welford's streaming update; mdev is
//   the population standard deviation, as iputils ping's (sqrt of the mean squared deviation).
// - jitter: mean absolute difference between consecutive samples in arrival order (RFC 3550's D,
//   unsmoothed); a merge keeps each stream's pairs, adding no pair across streams.
// - percentiles, one definition everywhere: the nearest rank, i.e. the smallest sample with at least
//   p % of the samples at or below it (rank ceil(p/100 · n), at least 1). Up to 64 samples it is that
//   sample, exactly (the first 64 are kept). Beyond, it is read from a log-linear histogram of
//   nanoseconds, 64 buckets per power of two, as the middle of the bucket holding that sample, clamped
//   to [min, max]: within 0.8 % of the exact sample. The lowest rank gives min and the highest max,
//   exactly. Samples of 2^40 ns (18 minutes) and more share the last bucket.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "output/record.hpp"

namespace nt::output {

class LatencySummary {
 public:
  void add_ms(double ms) noexcept;  // negative samples count as 0
  void add_ns(uint64_t ns) noexcept { add_ms(static_cast<double>(ns) / 1e6); }
  void merge(const LatencySummary& other);
  void clear() noexcept;  // keeps the bucket array for the next run of samples

  uint64_t count() const noexcept { return count_; }
  bool empty() const noexcept { return count_ == 0; }
  // 0 when empty.
  double min_ms() const noexcept { return count_ ? min_ : 0.0; }
  double max_ms() const noexcept { return count_ ? max_ : 0.0; }
  double avg_ms() const noexcept { return count_ ? mean_ : 0.0; }
  double mdev_ms() const noexcept;
  double jitter_ms() const noexcept;
  double percentile_ms(double p) const noexcept;  // p in [0, 100]

  // Adds <prefix>_min/_avg/_max/_mdev/_p50/_p90/_p99 (e.g. "rtt_ms"); nulls when empty.
  void put(Record& rec, const char* prefix) const;

  // The histogram's geometry, for tests: bucket of a value in ns, and the ns range [low, high] it holds.
  static std::size_t bucket_of(uint64_t ns) noexcept;
  static uint64_t bucket_low(std::size_t bucket) noexcept;
  static uint64_t bucket_high(std::size_t bucket) noexcept;
  static constexpr std::size_t kExactSamples = 64;
  static constexpr int kSubBits = 6;       // 64 buckets per power of two
  static constexpr int kTopExponent = 40;  // 2^40 ns and above: the last bucket
  static constexpr std::size_t kBuckets = static_cast<std::size_t>(kTopExponent - kSubBits + 1) << kSubBits;
  std::size_t memory_bytes() const noexcept { return sizeof(*this) + buckets_.capacity() * sizeof(uint64_t); }

 private:
  double exact_percentile(double rank) const noexcept;

  std::vector<uint64_t> buckets_;              // kBuckets counts once the first sample came
  std::array<double, kExactSamples> first_{};  // the first samples, for exact small-run percentiles
  uint64_t count_ = 0;
  double min_ = 0, max_ = 0;
  double mean_ = 0, m2_ = 0;  // Welford: running mean, sum of squared deviations from it
  double last_ = 0, jitter_sum_ = 0;
  uint64_t jitter_pairs_ = 0;
};

}  // namespace nt::output
