// --reconnect pacing: exponential backoff with "equal jitter" (half fixed, half random), so the clients
// of a server that restarts do not all come back in the same millisecond.
#pragma once
#include <chrono>
#include <random>

namespace nt::chat {

struct BackoffPolicy {
  std::chrono::nanoseconds base = std::chrono::milliseconds(500);
  std::chrono::nanoseconds cap = std::chrono::seconds(30);
};

// The pause before reconnect attempt `attempt` (0: the first after a loss): d = min(cap, base·2^attempt),
// returned as d/2 + u·d/2 for u in [0, 1) (u outside is clamped).
std::chrono::nanoseconds backoff_delay(const BackoffPolicy& policy, int attempt, double u) noexcept;

// The schedule with its own random source (seeded from std::random_device).
class Backoff {
 public:
  explicit Backoff(BackoffPolicy policy = {});
  std::chrono::nanoseconds next();  // the next pause; each call doubles the ceiling up to the cap
  void reset() noexcept { attempt_ = 0; }
  int attempt() const noexcept { return attempt_; }

 private:
  BackoffPolicy policy_;
  int attempt_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace nt::chat
