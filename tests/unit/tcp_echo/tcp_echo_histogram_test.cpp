#include <doctest/doctest.h>

#include "subcommands/tcp_echo/histogram.hpp"

using namespace nt::tcp_echo;

TEST_CASE("LatencyHistogram: buckets tile the values and stay within 1/64") {
  for (uint64_t v :
       {0ull, 1ull, 63ull, 64ull, 65ull, 127ull, 128ull, 1000ull, 123456ull, 1ull << 40, ~0ull}) {
    CAPTURE(v);
    std::size_t b = LatencyHistogram::bucket_of(v);
    CHECK(LatencyHistogram::bucket_low(b) <= v);
    CHECK(v <= LatencyHistogram::bucket_high(b));
    double width = static_cast<double>(LatencyHistogram::bucket_high(b) - LatencyHistogram::bucket_low(b));
    CHECK(width <= static_cast<double>(v) / 64.0 + 1);
  }
  for (std::size_t b = 0; b + 1 < 1000; ++b) {
    CHECK(LatencyHistogram::bucket_high(b) + 1 == LatencyHistogram::bucket_low(b + 1));
  }
}

TEST_CASE("LatencyHistogram: exact count/min/max/avg/mdev, percentiles within 1.6 %") {
  LatencyHistogram h;
  CHECK(h.count() == 0);
  CHECK(h.percentile_ms(50) == 0);
  // 1..100 µs: avg 50.5 µs, population mdev sqrt((100²−1)/12) = 28.866 µs.
  for (uint64_t us = 1; us <= 100; ++us) h.add(us * 1000);
  CHECK(h.count() == 100);
  CHECK(h.min_ms() == doctest::Approx(0.001));
  CHECK(h.max_ms() == doctest::Approx(0.100));
  CHECK(h.avg_ms() == doctest::Approx(0.0505));
  CHECK(h.mdev_ms() == doctest::Approx(0.028866).epsilon(0.001));
  CHECK(h.percentile_ms(50) == doctest::Approx(0.050).epsilon(0.016));
  CHECK(h.percentile_ms(90) == doctest::Approx(0.090).epsilon(0.016));
  CHECK(h.percentile_ms(99) == doctest::Approx(0.099).epsilon(0.016));
  CHECK(h.percentile_ms(100) == doctest::Approx(0.100));
}

TEST_CASE("LatencyHistogram: merge adds, put writes the rtt keys") {
  LatencyHistogram a, b;
  a.add(1'000'000);
  b.add(3'000'000);
  a.merge(b);
  CHECK(a.count() == 2);
  CHECK(a.avg_ms() == doctest::Approx(2.0));
  CHECK(a.mdev_ms() == doctest::Approx(1.0));
  LatencyHistogram empty_merged = a;
  empty_merged.merge(LatencyHistogram{});
  CHECK(empty_merged.mdev_ms() == doctest::Approx(1.0));
  nt::output::Record rec("summary");
  a.put(rec, "rtt_ms");
  for (const char* k :
       {"rtt_ms_min", "rtt_ms_avg", "rtt_ms_max", "rtt_ms_mdev", "rtt_ms_p50", "rtt_ms_p90", "rtt_ms_p99"}) {
    CAPTURE(k);
    CHECK(rec.data.contains(k));
  }
  CHECK(rec.data["rtt_ms_max"].get<double>() == doctest::Approx(3.0));
  LatencyHistogram empty;
  nt::output::Record none("summary");
  empty.put(none, "rtt_ms");
  CHECK(none.data["rtt_ms_p50"].is_null());
}

TEST_CASE("LatencyHistogram: mdev keeps a nanosecond spread on a one-second mean") {
  // A sum of squares (1e18 per sample) has no digits left for a variance of 1 ns².
  LatencyHistogram h;
  for (int i = 0; i < 10000; ++i) h.add(i % 2 ? 1'000'000'002 : 1'000'000'000);
  CHECK(h.avg_ms() == doctest::Approx(1000.000001));
  CHECK(h.mdev_ms() == doctest::Approx(0.000001).epsilon(1e-6));
}
