#include "subcommands/portscan/pacing.hpp"

#include <algorithm>
#include <cmath>

namespace nt::scan {

RttEstimator::RttEstimator(std::chrono::nanoseconds floor, std::chrono::nanoseconds ceiling)
    : floor_(std::min(floor, ceiling)), ceiling_(ceiling) {}

void RttEstimator::sample(std::chrono::nanoseconds rtt) noexcept {
  const double r = static_cast<double>(rtt.count());
  if (samples_++ == 0) {
    srtt_ns_ = r;
    rttvar_ns_ = r / 2;
    return;
  }
  rttvar_ns_ = 0.75 * rttvar_ns_ + 0.25 * std::fabs(srtt_ns_ - r);
  srtt_ns_ = 0.875 * srtt_ns_ + 0.125 * r;
}

std::chrono::nanoseconds RttEstimator::timeout() const noexcept {
  if (samples_ == 0) return ceiling_;
  const auto t = std::chrono::nanoseconds(static_cast<int64_t>(srtt_ns_ + 4 * rttvar_ns_));
  return std::clamp(t, floor_, ceiling_);
}

ProbeWindow::ProbeWindow(std::size_t ceiling, std::size_t floor, std::chrono::nanoseconds allowance,
                         std::size_t initial)
    : ceiling_(std::max<std::size_t>(ceiling, 1)),
      floor_(std::clamp<std::size_t>(floor, 1, ceiling_)),
      limit_(std::clamp(initial, floor_, ceiling_)),
      allowance_(allowance) {}

void ProbeWindow::on_reply(std::chrono::nanoseconds rtt) noexcept {
  fastest_ = std::min(fastest_, rtt);
  if (rtt - fastest_ > allowance_) {
    if (limit_ > floor_) --limit_;
  } else if (limit_ < ceiling_) {
    ++limit_;
  }
}

void ProbeWindow::on_timeout() noexcept {
  limit_ = std::max(floor_, limit_ * 3 / 4);
}

void ProbeWindow::cap(std::size_t n) noexcept {
  limit_ = std::clamp(n, std::size_t{1}, limit_);
}

}  // namespace nt::scan
