// Latency histogram for load mode: fixed memory however many round trips a run makes (a vector of every
// sample, as output::Stats keeps, would grow by 8 bytes per round trip — gigabytes over a long run).
// Log-linear buckets, 64 per power of two: a percentile is exact to within 1/64 (1.6 %); count, min,
// max, mean and mdev come from the samples themselves (mean and mdev by Welford's update, which keeps
// microsecond spreads on large means that a sum of squares would lose to rounding).
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>

#include "output/record.hpp"

namespace nt::tcp_echo {

class LatencyHistogram {
 public:
  void add(uint64_t ns) noexcept;
  void merge(const LatencyHistogram& other) noexcept;
  void clear() noexcept { *this = LatencyHistogram{}; }

  uint64_t count() const noexcept { return count_; }
  double min_ms() const noexcept;
  double max_ms() const noexcept;
  double avg_ms() const noexcept;
  double mdev_ms() const noexcept;  // population standard deviation
  // Nearest-rank percentile, p in [0, 100]; the bucket's midpoint (clamped to min/max).
  double percentile_ms(double p) const noexcept;

  // Adds <prefix>_min/_avg/_max/_mdev/_p50/_p90/_p99 like output::Stats::put; nulls when empty.
  void put(output::Record& rec, const char* prefix) const;

  static std::size_t bucket_of(uint64_t ns) noexcept;
  static uint64_t bucket_low(std::size_t bucket) noexcept;   // smallest value in the bucket
  static uint64_t bucket_high(std::size_t bucket) noexcept;  // largest value in the bucket

 private:
  static constexpr int kSubBits = 6;
  static constexpr std::size_t kBuckets = (64 - kSubBits + 1) << kSubBits;
  std::array<uint64_t, kBuckets> buckets_{};
  uint64_t count_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
  double mean_ = 0;
  double m2_ = 0;  // sum of squared deviations from mean_
};

}  // namespace nt::tcp_echo
