#include "subcommands/chat/client_backoff.hpp"

#include <algorithm>

namespace nt::chat {

std::chrono::nanoseconds backoff_delay(const BackoffPolicy& policy, int attempt, double u) noexcept {
  u = std::clamp(u, 0.0, 1.0);
  auto ceiling = policy.base;
  // Doubling stops at the cap, so a long outage (attempt 1000) cannot overflow.
  for (int i = 0; i < attempt && ceiling < policy.cap; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, policy.cap);
  auto half = ceiling / 2;
  return half + std::chrono::nanoseconds(static_cast<long long>(u * static_cast<double>(half.count())));
}

Backoff::Backoff(BackoffPolicy policy) : policy_(policy), rng_(std::random_device{}()) {}

std::chrono::nanoseconds Backoff::next() {
  double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
  return backoff_delay(policy_, attempt_++, u);
}

}  // namespace nt::chat
