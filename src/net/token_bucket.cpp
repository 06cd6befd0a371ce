#include "net/token_bucket.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace nt::net {

using Clock = std::chrono::steady_clock;

TokenBucket::TokenBucket(double rate_pps, double burst)
    : rate_(rate_pps), burst_(burst > 0 ? burst : std::max(1.0, rate_pps / 100)), tokens_(burst_) {}

void TokenBucket::refill(Clock::time_point now) noexcept {
  if (!started_) {
    started_ = true;
    last_ = now;
    tokens_ = 1;  // start with one token, not a full burst, so the first 10 ms are not a spike
    return;
  }
  const double elapsed = std::chrono::duration<double>(now - last_).count();
  if (elapsed > 0) {
    tokens_ = std::min(burst_, tokens_ + elapsed * rate_);
    last_ = now;
  }
}

void TokenBucket::fill(Clock::time_point now) noexcept {
  started_ = true;
  last_ = now;
  tokens_ = burst_;
}

bool TokenBucket::try_take(Clock::time_point now) noexcept {
  if (unlimited()) return true;
  refill(now);
  if (tokens_ < 1) return false;
  tokens_ -= 1;
  return true;
}

std::chrono::nanoseconds TokenBucket::wait(Clock::time_point now) noexcept {
  if (unlimited()) return {};
  refill(now);
  if (tokens_ >= 1) return {};
  return std::chrono::nanoseconds(static_cast<int64_t>(std::ceil((1 - tokens_) / rate_ * 1e9)));
}

}  // namespace nt::net
