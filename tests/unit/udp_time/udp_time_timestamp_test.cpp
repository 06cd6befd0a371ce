// NTP and RFC 868 time scales: epochs, fractions, era boundaries, short format.
#include <doctest/doctest.h>

#include <initializer_list>

#include "subcommands/udp_time/ntp_time.hpp"

using namespace nt::timeproto;

namespace {
constexpr int64_t kS = kNsPerS;
constexpr int64_t k2026 = 1795586847;  // 2026-11-25T06:07:27Z
}  // namespace

TEST_CASE("Unix epoch and fractions encode as NTP 32.32") {
  NtpTimestamp t = ntp_from_unix_ns(0);
  CHECK(t.seconds() == 2208988800U);
  CHECK(t.fraction() == 0U);
  CHECK(ntp_from_unix_ns(kS / 2).fraction() == 0x80000000U);
  CHECK(ntp_from_unix_ns(kS / 4).fraction() == 0x40000000U);
  CHECK(ntp_from_unix_ns(1).fraction() == 4U);  // 1 ns = 4.29 units, rounded
  CHECK(ntp_from_unix_ns(k2026 * kS).seconds() == 4004575647U);
}

TEST_CASE("Decoding round-trips to the nanosecond") {
  for (int64_t ns : {int64_t{0}, int64_t{1}, k2026 * kS + 123456789, k2026 * kS + 999999999,
                     kEra1StartUnixNs - 1, kEra1StartUnixNs, kEra1StartUnixNs + 1}) {
    CAPTURE(ns);
    CHECK(unix_ns_from_ntp(ntp_from_unix_ns(ns), k2026 * kS) == ns);
  }
}

TEST_CASE("Era 1 starts 2036-02-07T06:28:16Z with seconds 0") {
  CHECK(kEra1StartUnixNs == int64_t{2085978496} * kS);
  NtpTimestamp t = ntp_from_unix_ns(kEra1StartUnixNs);
  CHECK(t.raw == 0U);
  // From 2026 the nearest era of a zero timestamp is 2036, not 1900.
  CHECK(unix_ns_from_ntp(t, k2026 * kS) == kEra1StartUnixNs);
  // One second before the boundary is the last second of era 0.
  CHECK(ntp_from_unix_ns(kEra1StartUnixNs - kS).seconds() == 0xffffffffU);
  CHECK(unix_ns_from_ntp(NtpTimestamp::from_parts(0xffffffffU, 0), kEra1StartUnixNs + 10 * kS) ==
        kEra1StartUnixNs - kS);
}

TEST_CASE("RFC 4330 fixed pivot: MSB set is 1968-2036, clear is 2036-2104") {
  CHECK(unix_ns_from_ntp(NtpTimestamp::from_parts(0x80000000U, 0)) ==
        (int64_t{1} << 31) * kS - 2208988800LL * kS);
  CHECK(unix_ns_from_ntp(NtpTimestamp::from_parts(0x7fffffffU, 0)) == int64_t{4233462143} * kS);
  CHECK(unix_ns_from_ntp(ntp_from_unix_ns(k2026 * kS)) == k2026 * kS);
}

TEST_CASE("Differences are correct across the era boundary") {
  NtpTimestamp before = ntp_from_unix_ns(kEra1StartUnixNs - kS / 2);
  NtpTimestamp after = ntp_from_unix_ns(kEra1StartUnixNs + kS / 4);
  CHECK(ntp_diff_s(after, before) == doctest::Approx(0.75));
  CHECK(ntp_diff_s(before, after) == doctest::Approx(-0.75));
}

TEST_CASE("Short format is 16.16 seconds") {
  CHECK(short_from_seconds(1.0) == 0x00010000U);
  CHECK(short_from_seconds(0.5) == 0x00008000U);
  CHECK(short_from_seconds(-1.0) == 0U);
  CHECK(short_from_seconds(1e9) == 0xffffffffU);
  CHECK(seconds_from_short(0x00018000U) == doctest::Approx(1.5));
}

TEST_CASE("RFC 868 seconds since 1900, era-aware") {
  CHECK(rfc868_from_unix_ns(0) == 2208988800U);
  CHECK(rfc868_from_unix_ns(k2026 * kS + 999999999) == 4004575647U);  // truncated, not rounded
  CHECK(unix_ns_from_rfc868(4004575647U, k2026 * kS) == k2026 * kS);
  CHECK(rfc868_from_unix_ns(kEra1StartUnixNs + 5 * kS) == 5U);
  CHECK(unix_ns_from_rfc868(5U, k2026 * kS) == kEra1StartUnixNs + 5 * kS);
  CHECK(unix_ns_from_rfc868(0xfffffffbU, kEra1StartUnixNs + kS) == kEra1StartUnixNs - 5 * kS);
  // Before 1970 (negative Unix time) still works.
  CHECK(rfc868_from_unix_ns(-kS) == 2208988799U);
}
