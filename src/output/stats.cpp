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
  sorted_valid_ = false;
}

double Stats::min() const noexcept { return empty() ? 0.0 : min_; }
double Stats::max() const noexcept { return empty() ? 0.0 : max_; }
double Stats::avg() const noexcept { return empty() ? 0.0 : sum_ / static_cast<double>(count()); }

double Stats::mdev() const noexcept {
  if (empty()) return 0.0;
  // Two passes over the stored samples: E[x²]−E[x]² in one pass loses everything to rounding when
  // the spread is tiny compared with the mean (microsecond jitter on a 100 ms RTT).
  double mean = avg();
  double squares = 0;
  for (double v : samples_) squares += (v - mean) * (v - mean);
  return std::sqrt(squares / static_cast<double>(count()));
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
