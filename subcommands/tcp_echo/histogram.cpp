#include "subcommands/tcp_echo/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace nt::tcp_echo {

namespace {
constexpr double kNsPerMs = 1e6;
}

// Values below 64 get a bucket each; above, a power of two [2^e, 2^(e+1)) splits into 64 equal parts.
std::size_t LatencyHistogram::bucket_of(uint64_t ns) noexcept {
  if (ns < (uint64_t{1} << kSubBits)) return static_cast<std::size_t>(ns);
  int exponent = 63 - std::countl_zero(ns);
  int shift = exponent - kSubBits;
  std::size_t sub = static_cast<std::size_t>((ns >> shift) & ((1u << kSubBits) - 1));
  return (static_cast<std::size_t>(shift + 1) << kSubBits) + sub;
}

uint64_t LatencyHistogram::bucket_low(std::size_t bucket) noexcept {
  std::size_t group = bucket >> kSubBits;
  uint64_t sub = bucket & ((1u << kSubBits) - 1);
  if (group == 0) return sub;
  int shift = static_cast<int>(group) - 1;
  return ((uint64_t{1} << kSubBits) | sub) << shift;
}

uint64_t LatencyHistogram::bucket_high(std::size_t bucket) noexcept {
  std::size_t group = bucket >> kSubBits;
  if (group == 0) return bucket_low(bucket);
  int shift = static_cast<int>(group) - 1;
  return bucket_low(bucket) + ((uint64_t{1} << shift) - 1);
}

void LatencyHistogram::add(uint64_t ns) noexcept {
  ++buckets_[bucket_of(ns)];
  ++count_;
  min_ = std::min(min_, ns);
  max_ = std::max(max_, ns);
  double delta = static_cast<double>(ns) - mean_;
  mean_ += delta / static_cast<double>(count_);
  m2_ += delta * (static_cast<double>(ns) - mean_);
}

void LatencyHistogram::merge(const LatencyHistogram& other) noexcept {
  if (other.count_ == 0) return;
  for (std::size_t i = 0; i < kBuckets; ++i) buckets_[i] += other.buckets_[i];
  // Chan et al.'s pairwise combination of two Welford states.
  double n_a = static_cast<double>(count_), n_b = static_cast<double>(other.count_), n = n_a + n_b;
  double delta = other.mean_ - mean_;
  mean_ += delta * n_b / n;
  m2_ += other.m2_ + delta * delta * n_a * n_b / n;
  count_ += other.count_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

double LatencyHistogram::min_ms() const noexcept {
  return count_ ? static_cast<double>(min_) / kNsPerMs : 0;
}
double LatencyHistogram::max_ms() const noexcept {
  return static_cast<double>(max_) / kNsPerMs;
}
double LatencyHistogram::avg_ms() const noexcept {
  return mean_ / kNsPerMs;
}

double LatencyHistogram::mdev_ms() const noexcept {
  return count_ ? std::sqrt(m2_ / static_cast<double>(count_)) / kNsPerMs : 0;
}

double LatencyHistogram::percentile_ms(double p) const noexcept {
  if (count_ == 0) return 0;
  double clamped = std::clamp(p, 0.0, 100.0);
  auto rank = static_cast<uint64_t>(std::ceil(clamped / 100.0 * static_cast<double>(count_)));
  rank = std::max<uint64_t>(rank, 1);
  if (rank >= count_) return max_ms();  // the largest sample is known exactly
  uint64_t seen = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      uint64_t mid = bucket_low(i) + (bucket_high(i) - bucket_low(i)) / 2;
      return static_cast<double>(std::clamp(mid, min_, max_)) / kNsPerMs;
    }
  }
  return max_ms();
}

void LatencyHistogram::put(output::Record& rec, const char* prefix) const {
  auto key = [&](const char* suffix) { return std::string(prefix) + suffix; };
  auto value = [&](double v) { return count_ ? output::Json(v) : output::Json(nullptr); };
  rec.set(key("_min"), value(min_ms()));
  rec.set(key("_avg"), value(avg_ms()));
  rec.set(key("_max"), value(max_ms()));
  rec.set(key("_mdev"), value(mdev_ms()));
  rec.set(key("_p50"), value(percentile_ms(50)));
  rec.set(key("_p90"), value(percentile_ms(90)));
  rec.set(key("_p99"), value(percentile_ms(99)));
}

}  // namespace nt::tcp_echo
