#include "subcommands/udp_time/ntp_time.hpp"

#include <time.h>

#include <cmath>

namespace nt::timeproto {

namespace {
constexpr double kTwo32 = 4294967296.0;

// Floor division for possibly negative nanosecond counts (times before 1970).
int64_t floor_div(int64_t a, int64_t b) noexcept {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// Nearest value congruent to `low32` (mod 2^32) to the 1900-based second count `pivot_s`.
int64_t nearest_era_seconds(uint32_t low32, int64_t pivot_s) noexcept {
  auto delta = static_cast<int32_t>(low32 - static_cast<uint32_t>(pivot_s));
  return pivot_s + delta;
}
}  // namespace

NtpTimestamp ntp_from_unix_ns(int64_t unix_ns) noexcept {
  int64_t secs = floor_div(unix_ns, kNsPerS);
  auto ns = static_cast<uint64_t>(unix_ns - secs * kNsPerS);
  uint64_t frac = ((ns << 32) + kNsPerS / 2) / kNsPerS;
  uint64_t ntp_secs = static_cast<uint64_t>(secs + kNtpUnixOffsetS);
  // Rounding may carry a full second (ns ≥ 999999999.5 of 2^-32 units).
  return {(ntp_secs << 32) + frac};
}

int64_t unix_ns_from_ntp(NtpTimestamp ts, int64_t pivot_unix_ns) noexcept {
  int64_t pivot_s = floor_div(pivot_unix_ns, kNsPerS) + kNtpUnixOffsetS;
  int64_t secs_1900 = nearest_era_seconds(ts.seconds(), pivot_s);
  auto frac_ns = static_cast<int64_t>((static_cast<uint64_t>(ts.fraction()) * kNsPerS + (1ULL << 31)) >> 32);
  return (secs_1900 - kNtpUnixOffsetS) * kNsPerS + frac_ns;
}

double ntp_diff_s(NtpTimestamp a, NtpTimestamp b) noexcept {
  auto d = static_cast<int64_t>(a.raw - b.raw);
  return static_cast<double>(d) / kTwo32;
}

uint32_t short_from_seconds(double s) noexcept {
  if (!(s > 0)) return 0;
  double v = std::round(s * 65536.0);
  return v >= 4294967295.0 ? 0xffffffffU : static_cast<uint32_t>(v);
}

double seconds_from_short(uint32_t v) noexcept {
  return static_cast<double>(v) / 65536.0;
}

uint32_t rfc868_from_unix_ns(int64_t unix_ns) noexcept {
  return static_cast<uint32_t>(floor_div(unix_ns, kNsPerS) + kNtpUnixOffsetS);
}

int64_t unix_ns_from_rfc868(uint32_t v, int64_t pivot_unix_ns) noexcept {
  int64_t pivot_s = floor_div(pivot_unix_ns, kNsPerS) + kNtpUnixOffsetS;
  return (nearest_era_seconds(v, pivot_s) - kNtpUnixOffsetS) * kNsPerS;
}

OffsetDelay offset_delay(NtpTimestamp t1, NtpTimestamp t2, NtpTimestamp t3, NtpTimestamp t4) noexcept {
  // Differences first (each small), then sums, so era wrap-around never matters.
  double a = ntp_diff_s(t2, t1);
  double b = ntp_diff_s(t3, t4);
  return {(a + b) / 2.0, ntp_diff_s(t4, t1) - ntp_diff_s(t3, t2)};
}

int64_t wall_now_ns() noexcept {
  struct timespec ts {};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * kNsPerS + ts.tv_nsec;
}

}  // namespace nt::timeproto
