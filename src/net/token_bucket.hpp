// A token bucket that caps events per second (packets, probes, requests) with a bounded burst.
#pragma once
#include <chrono>

namespace nt::net {

// rate 0 = unlimited. The bucket holds at most `burst` tokens, so over any interval T at most
// rate*T + burst packets leave; burst defaults to 1% of a second's worth (at least 1).
class TokenBucket {
 public:
  explicit TokenBucket(double rate_pps, double burst = 0);
  bool unlimited() const noexcept { return rate_ <= 0; }
  // Starts with a full burst at `now` (a chat client may send `burst` lines at once on arrival).
  void fill(std::chrono::steady_clock::time_point now) noexcept;
  // Takes one token if available.
  bool try_take(std::chrono::steady_clock::time_point now) noexcept;
  // How long until the next token (zero when one is available).
  std::chrono::nanoseconds wait(std::chrono::steady_clock::time_point now) noexcept;

 private:
  void refill(std::chrono::steady_clock::time_point now) noexcept;
  double rate_;
  double burst_;
  double tokens_;
  std::chrono::steady_clock::time_point last_{};
  bool started_ = false;
};

}  // namespace nt::net
