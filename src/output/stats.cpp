#include "output/stats.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace nt::output {

void Stats::add(double sample) {
  if (samples_.empty()) {
    min_ = max_ = sample;
  } else {
    min_ = std::min(min_, sample);
    max_ = std::max(max_, sample);
    jitter_sum_ += std::fabs(sample - samples_.back());
  }
  samples_.push_back(sample);
  sum_ += sample;
  sum_sq_ += sample * sample;
  sorted_valid_ = false;
}

double Stats::min() const noexcept { return empty() ? 0.0 : min_; }
double Stats::max() const noexcept { return empty() ? 0.0 : max_; }
double Stats::avg() const noexcept { return empty() ? 0.0 : sum_ / static_cast<double>(count()); }

double Stats::mdev() const noexcept {
  if (empty()) return 0.0;
  double mean = avg();
  double variance = sum_sq_ / static_cast<double>(count()) - mean * mean;
  return variance > 0 ? std::sqrt(variance) : 0.0;  // rounding can make a zero variance slightly negative
}

double Stats::percentile(double p) const {
  if (empty()) return 0.0;
  if (!sorted_valid_) {
    sorted_ = samples_;
    std::sort(sorted_.begin(), sorted_.end());
    sorted_valid_ = true;
  }
  double rank = std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(sorted_.size() - 1);
  auto lower = static_cast<std::size_t>(std::floor(rank));
  std::size_t upper = std::min(lower + 1, sorted_.size() - 1);
  double frac = rank - static_cast<double>(lower);
  return sorted_[lower] + (sorted_[upper] - sorted_[lower]) * frac;
}

double Stats::jitter() const noexcept {
  return count() < 2 ? 0.0 : jitter_sum_ / static_cast<double>(count() - 1);
}

void Stats::put(Record& rec, const char* prefix) const {
  std::string p(prefix);
  auto value = [&](double v) { return empty() ? Json(nullptr) : Json(v); };
  rec.set(p + "_min", value(min()));
  rec.set(p + "_avg", value(avg()));
  rec.set(p + "_max", value(max()));
  rec.set(p + "_mdev", value(mdev()));
  rec.set(p + "_p50", value(percentile(50)));
  rec.set(p + "_p90", value(percentile(90)));
  rec.set(p + "_p99", value(percentile(99)));
}

}  // namespace nt::output
