// Timing of a scan: the adaptive probe timeout and the window of probes in flight (the send rate
// cap is net::TokenBucket).
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "net/token_bucket.hpp"

namespace nt::scan {

using Clock = std::chrono::steady_clock;

// RFC 6298 smoothed RTT; the probe timeout is srtt + 4*rttvar clamped to [floor, ceiling]. Before
// the first sample the timeout is the ceiling (the user's --timeout).
class RttEstimator {
 public:
  RttEstimator(std::chrono::nanoseconds floor, std::chrono::nanoseconds ceiling);
  void sample(std::chrono::nanoseconds rtt) noexcept;
  std::chrono::nanoseconds timeout() const noexcept;
  bool has_samples() const noexcept { return samples_ > 0; }

 private:
  std::chrono::nanoseconds floor_, ceiling_;
  double srtt_ns_ = 0, rttvar_ns_ = 0;
  uint64_t samples_ = 0;
};

// How many probes may be in flight, steered by delay as LEDBAT does (RFC 6817): a reply more than
// `allowance` slower than the fastest one seen has waited in a queue (the network's, or our own when a
// wide window meets a path that answers at once, such as loopback), so the window shrinks by one;
// any other reply grows it by one. A timeout cuts it to 3/4, like TCP's multiplicative decrease
// (RFC 5681). It never leaves [floor, ceiling]. Starting at `initial`, growing by one per reply doubles
// it every round trip, like TCP's slow start, until delay or the ceiling stops it.
class ProbeWindow {
 public:
  ProbeWindow(std::size_t ceiling, std::size_t floor, std::chrono::nanoseconds allowance,
              std::size_t initial);
  std::size_t limit() const noexcept { return limit_; }
  void on_reply(std::chrono::nanoseconds rtt) noexcept;
  void on_timeout() noexcept;
  void cap(std::size_t n) noexcept;  // out of descriptors or ports: at most n until replies grow it

 private:
  std::size_t ceiling_, floor_, limit_;
  std::chrono::nanoseconds allowance_;
  std::chrono::nanoseconds fastest_ = std::chrono::nanoseconds::max();
};

}  // namespace nt::scan
