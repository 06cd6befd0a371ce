// Clocks: the monotonic clock for every interval we measure, the wall clock only for timestamps.
#pragma once
#include <chrono>
#include <ctime>
#include <string>

namespace nt::sys {

using MonoClock = std::chrono::steady_clock;
using WallClock = std::chrono::system_clock;

// Milliseconds as a double, the unit of every *_ms field.
inline double to_ms(std::chrono::nanoseconds d) { return static_cast<double>(d.count()) / 1e6; }
inline double to_seconds(std::chrono::nanoseconds d) { return static_cast<double>(d.count()) / 1e9; }
// Seconds (possibly fractional, from the command line) as a duration.
std::chrono::nanoseconds from_seconds(double seconds);

// RFC 3339 UTC with microseconds: 2026-11-25T06:01:30.123456Z
std::string rfc3339(WallClock::time_point t);
std::string rfc3339(const struct timespec& ts);
inline std::string now_rfc3339() { return rfc3339(WallClock::now()); }

// CLOCK_MONOTONIC as a MonoClock time point (steady_clock is CLOCK_MONOTONIC on Linux).
inline MonoClock::time_point mono_from_timespec(const struct timespec& ts) {
  return MonoClock::time_point(std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec));
}

}  // namespace nt::sys
