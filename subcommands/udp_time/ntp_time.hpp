// NTP time scales (RFC 5905 §6): 64-bit timestamps (32.32 seconds since 1900 within an era), 32-bit
// short format (16.16, root delay/dispersion) and RFC 868's 32-bit seconds. Eras roll over every 2^32 s
// (era 1 starts 2036-02-07T06:28:16Z), so decoding needs a pivot: the nearest era to it wins.
#pragma once
#include <cstdint>

namespace nt::timeproto {

// Seconds from 1900-01-01 (NTP prime epoch) to 1970-01-01 (Unix epoch).
inline constexpr int64_t kNtpUnixOffsetS = 2'208'988'800;
inline constexpr int64_t kNsPerS = 1'000'000'000;
// Unix time (ns) at which NTP era 1 begins: 2036-02-07T06:28:16Z.
inline constexpr int64_t kEra1StartUnixNs = ((int64_t{1} << 32) - kNtpUnixOffsetS) * kNsPerS;

struct NtpTimestamp {
  uint64_t raw = 0;  // seconds in the high 32 bits, fraction (2^-32 s) in the low 32 bits

  uint32_t seconds() const noexcept { return static_cast<uint32_t>(raw >> 32); }
  uint32_t fraction() const noexcept { return static_cast<uint32_t>(raw); }
  bool is_zero() const noexcept { return raw == 0; }
  static NtpTimestamp from_parts(uint32_t s, uint32_t f) noexcept {
    return {(static_cast<uint64_t>(s) << 32) | f};
  }
  bool operator==(const NtpTimestamp&) const = default;
};

// Unix nanoseconds → NTP timestamp (the era number is dropped, as on the wire). Rounds to nearest.
NtpTimestamp ntp_from_unix_ns(int64_t unix_ns) noexcept;
// NTP timestamp → Unix nanoseconds in the era nearest to `pivot_unix_ns` (within ±2^31 s of it).
int64_t unix_ns_from_ntp(NtpTimestamp ts, int64_t pivot_unix_ns) noexcept;
// RFC 4330 §3 fixed rule: MSB set → 1968–2036 (era 0), clear → 2036–2104 (era 1).
inline int64_t unix_ns_from_ntp(NtpTimestamp ts) noexcept {
  return unix_ns_from_ntp(ts, kEra1StartUnixNs);
}

// a − b in seconds, correct across an era boundary as long as |a − b| < 68 years (RFC 5905 §6).
double ntp_diff_s(NtpTimestamp a, NtpTimestamp b) noexcept;

// 16.16 short format; negative inputs clamp to 0, huge ones saturate.
uint32_t short_from_seconds(double s) noexcept;
double seconds_from_short(uint32_t v) noexcept;

// RFC 868: 32-bit seconds since 1900, modulo 2^32 (era-aware decode, as for NTP).
uint32_t rfc868_from_unix_ns(int64_t unix_ns) noexcept;
int64_t unix_ns_from_rfc868(uint32_t v, int64_t pivot_unix_ns) noexcept;

// On-wire offset and delay from the four timestamps (RFC 5905 §8, RFC 4330 §5):
//   θ = ½[(T2 − T1) + (T3 − T4)],  δ = (T4 − T1) − (T3 − T2)
struct OffsetDelay {
  double offset_s;
  double delay_s;
};
OffsetDelay offset_delay(NtpTimestamp t1, NtpTimestamp t2, NtpTimestamp t3, NtpTimestamp t4) noexcept;

// The current wall-clock time in Unix nanoseconds (CLOCK_REALTIME).
int64_t wall_now_ns() noexcept;

}  // namespace nt::timeproto
