// θ = ½[(T2 − T1) + (T3 − T4)], δ = (T4 − T1) − (T3 − T2), against hand-computed cases.
#include <doctest/doctest.h>

#include "subcommands/udp_time/ntp_time.hpp"

using namespace nt::timeproto;

namespace {
NtpTimestamp at(double unix_s, int64_t base_ns = 0) {
  return ntp_from_unix_ns(base_ns + static_cast<int64_t>(unix_s * 1e9));
}
}  // namespace

TEST_CASE("Server ahead by 0.5 s, 0.2 s round trip") {
  // T1 10.0 (client), T2 10.6 (server), T3 10.7 (server), T4 10.3 (client).
  auto r = offset_delay(at(10.0), at(10.6), at(10.7), at(10.3));
  CHECK(r.offset_s == doctest::Approx(0.5));
  CHECK(r.delay_s == doctest::Approx(0.2));
}

TEST_CASE("Server behind, asymmetric processing time excluded from delay") {
  // T1 100, T2 98.1, T3 98.2 (100 ms in the server), T4 100.3.
  auto r = offset_delay(at(100.0), at(98.1), at(98.2), at(100.3));
  CHECK(r.offset_s == doctest::Approx(-2.0));
  CHECK(r.delay_s == doctest::Approx(0.2));
}

TEST_CASE("Equal clocks give zero offset") {
  auto r = offset_delay(at(5.0), at(5.001), at(5.002), at(5.003));
  CHECK(r.offset_s == doctest::Approx(0.0).epsilon(1e-9));
  CHECK(r.delay_s == doctest::Approx(0.002));
}

TEST_CASE("Offset and delay across the 2036 era boundary") {
  // The client is in era 0, the server already in era 1 (0.25 s ahead).
  int64_t b = kEra1StartUnixNs;
  auto r = offset_delay(at(-0.5, b), at(-0.2, b), at(-0.1, b), at(-0.3, b));
  // θ = ½[(−0.2 + 0.5) + (−0.1 + 0.3)] = 0.25; δ = 0.2 − 0.1 = 0.1
  CHECK(r.offset_s == doctest::Approx(0.25));
  CHECK(r.delay_s == doctest::Approx(0.1));
  auto far = offset_delay(at(-1.0, b), at(100.0, b), at(100.0, b), at(-0.9, b));
  CHECK(far.offset_s == doctest::Approx(100.95));
}
