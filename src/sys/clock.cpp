#include "sys/clock.hpp"

#include <fmt/format.h>

#include <cmath>
#include <iterator>

namespace nt::sys {

std::chrono::nanoseconds from_seconds(double seconds) {
  return std::chrono::nanoseconds(static_cast<int64_t>(std::llround(seconds * 1e9)));
}

// Records stamp every event (chat-client --jsonl writes one per received line): the date and time of
// day are formatted once per second, only the microseconds each time.
std::string rfc3339(const struct timespec& ts) {
  thread_local time_t cached_secs = -1;
  thread_local std::string cached_prefix;  // "2026-12-02T07:03:27."
  if (ts.tv_sec != cached_secs) {
    struct tm tm {};
    time_t secs = ts.tv_sec;
    gmtime_r(&secs, &tm);
    cached_prefix = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.", tm.tm_year + 1900, tm.tm_mon + 1,
                                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    cached_secs = ts.tv_sec;
  }
  std::string out = cached_prefix;
  fmt::format_to(std::back_inserter(out), "{:06}Z", ts.tv_nsec / 1000);
  return out;
}

std::string rfc3339(WallClock::time_point t) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  struct timespec ts {};
  ts.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
  ts.tv_nsec = static_cast<long>(ns % 1'000'000'000);
  if (ts.tv_nsec < 0) {
    ts.tv_nsec += 1'000'000'000;
    ts.tv_sec -= 1;
  }
  return rfc3339(ts);
}

}  // namespace nt::sys
