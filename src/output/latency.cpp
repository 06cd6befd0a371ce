#include "output/latency.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <string>

namespace nt::output {

namespace {
constexpr double kNsPerMs = 1e6;
constexpr uint64_t kTopNs = uint64_t{1} << LatencySummary::kTopExponent;
}  // namespace

// Values below 64 ns get a bucket each; above, each power of two [2^e, 2^(e+1)) splits into 64 equal
// parts, so a bucket is at most 1/64 of the values it holds wide.
std::size_t LatencySummary::bucket_of(uint64_t ns) noexcept {
  if (ns >= kTopNs) return kBuckets - 1;
  if (ns < (uint64_t{1} << kSubBits)) return static_cast<std::size_t>(ns);
  int exponent = 63 - std::countl_zero(ns);
  int shift = exponent - kSubBits;
  auto sub = static_cast<std::size_t>((ns >> shift) & ((uint64_t{1} << kSubBits) - 1));
  return (static_cast<std::size_t>(shift + 1) << kSubBits) + sub;
}

uint64_t LatencySummary::bucket_low(std::size_t bucket) noexcept {
  std::size_t group = bucket >> kSubBits;
  uint64_t sub = bucket & ((uint64_t{1} << kSubBits) - 1);
  if (group == 0) return sub;
  int shift = static_cast<int>(group) - 1;
  return ((uint64_t{1} << kSubBits) | sub) << shift;
}

uint64_t LatencySummary::bucket_high(std::size_t bucket) noexcept {
  std::size_t group = bucket >> kSubBits;
  if (group == 0) return bucket_low(bucket);
  int shift = static_cast<int>(group) - 1;
  return bucket_low(bucket) + ((uint64_t{1} << shift) - 1);
}

void LatencySummary::add_ms(double ms) noexcept {
  if (!(ms > 0)) ms = 0;  // negative or NaN
  if (buckets_.empty()) buckets_.assign(kBuckets, 0);
  double ns = ms * kNsPerMs;
  ++buckets_[bucket_of(ns >= static_cast<double>(kTopNs) ? kTopNs : static_cast<uint64_t>(ns))];
  if (count_ == 0) {
    min_ = max_ = ms;
  } else {
    min_ = std::min(min_, ms);
    max_ = std::max(max_, ms);
    jitter_sum_ += std::fabs(ms - last_);
    ++jitter_pairs_;
  }
  if (count_ < kExactSamples) first_[count_] = ms;
  last_ = ms;
  ++count_;
  double delta = ms - mean_;
  mean_ += delta / static_cast<double>(count_);
  m2_ += delta * (ms - mean_);
}

void LatencySummary::merge(const LatencySummary& other) {
  if (other.count_ == 0) return;
  if (count_ == 0) {
    *this = other;
    return;
  }
  for (std::size_t i = 0; i < kBuckets; ++i) buckets_[i] += other.buckets_[i];
  for (uint64_t i = 0; i < other.count_ && count_ + i < kExactSamples; ++i)
    first_[count_ + i] = other.first_[i];
  // Chan et al.'s pairwise combination of two Welford states.
  double n_a = static_cast<double>(count_), n_b = static_cast<double>(other.count_), n = n_a + n_b;
  double delta = other.mean_ - mean_;
  mean_ += delta * n_b / n;
  m2_ += other.m2_ + delta * delta * n_a * n_b / n;
  count_ += other.count_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  jitter_sum_ += other.jitter_sum_;
  jitter_pairs_ += other.jitter_pairs_;
  last_ = other.last_;
}

void LatencySummary::clear() noexcept {
  std::fill(buckets_.begin(), buckets_.end(), 0);
  count_ = jitter_pairs_ = 0;
  min_ = max_ = mean_ = m2_ = last_ = jitter_sum_ = 0;
}

double LatencySummary::mdev_ms() const noexcept {
  return count_ ? std::sqrt(m2_ / static_cast<double>(count_)) : 0.0;
}

double LatencySummary::jitter_ms() const noexcept {
  return jitter_pairs_ ? jitter_sum_ / static_cast<double>(jitter_pairs_) : 0.0;
}

double LatencySummary::percentile_ms(double p) const noexcept {
  if (count_ == 0) return 0.0;
  double wanted = std::ceil(std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(count_));
  uint64_t rank = std::max<uint64_t>(static_cast<uint64_t>(wanted), 1);
  if (rank == 1) return min_;
  if (rank >= count_) return max_;
  if (count_ <= kExactSamples) return exact_percentile(static_cast<double>(rank));
  uint64_t seen = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    seen += buckets_[i];
    if (seen < rank) continue;
    double middle = (static_cast<double>(bucket_low(i)) + static_cast<double>(bucket_high(i)) + 1) / 2;
    return std::clamp(middle / kNsPerMs, min_, max_);
  }
  return max_;
}

double LatencySummary::exact_percentile(double rank) const noexcept {
  std::array<double, kExactSamples> sorted = first_;
  auto end = sorted.begin() + static_cast<std::ptrdiff_t>(count_);
  auto nth = sorted.begin() + static_cast<std::ptrdiff_t>(rank) - 1;
  std::nth_element(sorted.begin(), nth, end);
  return *nth;
}

void LatencySummary::put(Record& rec, const char* prefix) const {
  std::string p(prefix);
  auto value = [&](double v) { return empty() ? Json(nullptr) : Json(v); };
  rec.set(p + "_min", value(min_ms()));
  rec.set(p + "_avg", value(avg_ms()));
  rec.set(p + "_max", value(max_ms()));
  rec.set(p + "_mdev", value(mdev_ms()));
  rec.set(p + "_p50", value(percentile_ms(50)));
  rec.set(p + "_p90", value(percentile_ms(90)));
  rec.set(p + "_p99", value(percentile_ms(99)));
}

}  // namespace nt::output
