// Summary statistics over samples (RTTs, latencies): count, min, avg, max, mdev, percentiles, jitter.
#pragma once
#include <cstddef>
#include <vector>

#include "output/record.hpp"

namespace nt::output {

class Stats {
 public:
  void add(double sample);
  void reserve(std::size_t n) { samples_.reserve(n); }
  std::size_t count() const noexcept { return samples_.size(); }
  bool empty() const noexcept { return samples_.empty(); }
  double min() const noexcept;
  double max() const noexcept;
  double avg() const noexcept;
  // Population standard deviation, as iputils ping's mdev: sqrt(mean of (x − avg)²).
  double mdev() const noexcept;
  // Linear interpolation between closest ranks (numpy's default): p in [0, 100].
  double percentile(double p) const;
  // Mean absolute difference between consecutive samples in arrival order (RFC 3550-style, unsmoothed).
  double jitter() const noexcept;
  const std::vector<double>& samples() const noexcept { return samples_; }

  // Adds <prefix>_min/_avg/_max/_mdev/_p50/_p90/_p99 (e.g. "rtt_ms") to rec; nulls when empty.
  void put(Record& rec, const char* prefix) const;

 private:
  std::vector<double> samples_;
  double sum_ = 0, min_ = 0, max_ = 0, jitter_sum_ = 0;
  mutable std::vector<double> sorted_;
  mutable bool sorted_valid_ = false;
};

}  // namespace nt::output
