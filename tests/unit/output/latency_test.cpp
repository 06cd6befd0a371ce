// output::LatencySummary: exact moments against hand-computed values, the nearest-rank percentile
// within 1 % of the exact one on several distributions, and memory that does not grow with samples.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "output/latency.hpp"

using nt::output::LatencySummary;

namespace {
// The documented definition, computed exactly: the sample at rank ceil(p/100 · n), at least 1.
double nearest_rank(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
  return v[std::max<std::size_t>(rank, 1) - 1];
}

template <typename Draw>
void check_accuracy(const char* name, Draw draw) {
  std::mt19937_64 rng(42);
  std::vector<double> samples;
  LatencySummary s;
  for (int i = 0; i < 200000; ++i) {
    double ms = draw(rng);
    samples.push_back(ms);
    s.add_ms(ms);
  }
  for (double p : {1.0, 25.0, 50.0, 90.0, 99.0, 99.9}) {
    CAPTURE(name);
    CAPTURE(p);
    double exact = nearest_rank(samples, p);
    CHECK(std::fabs(s.percentile_ms(p) - exact) <= 0.01 * exact);
  }
}
}  // namespace

TEST_CASE("latency: buckets tile the values and are at most 1/64 of them wide") {
  for (uint64_t v : {0ull, 1ull, 63ull, 64ull, 65ull, 127ull, 128ull, 1000ull, 123456ull, 1ull << 39}) {
    CAPTURE(v);
    std::size_t b = LatencySummary::bucket_of(v);
    CHECK(LatencySummary::bucket_low(b) <= v);
    CHECK(v <= LatencySummary::bucket_high(b));
    double width = static_cast<double>(LatencySummary::bucket_high(b) - LatencySummary::bucket_low(b));
    CHECK(width <= static_cast<double>(v) / 64.0 + 1);
  }
  for (std::size_t b = 0; b + 1 < LatencySummary::kBuckets; ++b) {
    CHECK(LatencySummary::bucket_high(b) + 1 == LatencySummary::bucket_low(b + 1));
  }
  CHECK(LatencySummary::bucket_of(~0ull) == LatencySummary::kBuckets - 1);
}

TEST_CASE("latency: min avg max and mdev (population, as iputils) of 1 2 3 4") {
  LatencySummary s;
  for (double v : {1.0, 2.0, 3.0, 4.0}) s.add_ms(v);
  CHECK(s.count() == 4);
  CHECK(s.min_ms() == 1.0);
  CHECK(s.max_ms() == 4.0);
  CHECK(s.avg_ms() == doctest::Approx(2.5));
  CHECK(s.mdev_ms() == doctest::Approx(std::sqrt(1.25)));  // sqrt((1.5² + 0.5² + 0.5² + 1.5²) / 4)
}

TEST_CASE("latency: percentiles are nearest ranks, exact samples for small runs") {
  LatencySummary s;
  for (double v : {50.0, 15.0, 40.0, 20.0, 35.0}) s.add_ms(v);
  CHECK(s.percentile_ms(0) == 15.0);
  CHECK(s.percentile_ms(20) == 15.0);  // rank 1
  CHECK(s.percentile_ms(25) == 20.0);  // rank 2
  CHECK(s.percentile_ms(50) == 35.0);  // rank 3
  CHECK(s.percentile_ms(90) == 50.0);  // rank 5
  CHECK(s.percentile_ms(100) == 50.0);
}

TEST_CASE("latency: past the exact samples, the histogram answers within 0.8 %") {
  LatencySummary s;
  for (int i = 1; i <= 64; ++i) s.add_ms(i);
  CHECK(s.percentile_ms(50) == 32.0);
  s.add_ms(65);  // 65 samples: rank ceil(32.5) = 33
  CHECK(s.percentile_ms(50) != 33.0);
  CHECK(s.percentile_ms(50) == doctest::Approx(33.0).epsilon(0.008));
  CHECK(s.percentile_ms(99) == doctest::Approx(65.0).epsilon(0.008));
  LatencySummary a, b;  // merged small runs stay exact
  for (double v : {4.0, 1.0}) a.add_ms(v);
  for (double v : {3.0, 2.0}) b.add_ms(v);
  a.merge(b);
  CHECK(a.percentile_ms(50) == 2.0);
  CHECK(a.percentile_ms(75) == 3.0);
}

TEST_CASE("latency: p50/p90/p99 within 1 % of the exact nearest rank on several distributions") {
  check_accuracy("uniform 0.01-100 ms",
                 [](auto& rng) { return std::uniform_real_distribution(0.01, 100.0)(rng); });
  check_accuracy("exponential, mean 0.2 ms",
                 [](auto& rng) { return std::exponential_distribution(5.0)(rng); });
  check_accuracy("lognormal around 30 µs",
                 [](auto& rng) { return std::lognormal_distribution(-3.5, 1.0)(rng); });
  check_accuracy("bimodal 0.05 ms and 80 ms", [](auto& rng) {
    bool far = std::bernoulli_distribution(0.3)(rng);
    return far ? std::normal_distribution(80.0, 5.0)(rng) : std::normal_distribution(0.05, 0.005)(rng);
  });
}

TEST_CASE("latency: memory is fixed however many samples come") {
  LatencySummary s;
  s.add_ms(0.1);
  std::size_t after_one = s.memory_bytes();
  std::mt19937_64 rng(1);
  std::exponential_distribution<double> d(1.0);
  for (int i = 0; i < 2000000; ++i) s.add_ms(d(rng));
  CHECK(s.memory_bytes() == after_one);
  CHECK(after_one < 24 * 1024);
  s.clear();
  CHECK(s.memory_bytes() == after_one);
  CHECK(s.empty());
}

TEST_CASE("latency: jitter is the mean absolute successive difference; merge keeps streams apart") {
  LatencySummary a, b;
  for (double v : {10.0, 12.0, 11.0, 15.0}) a.add_ms(v);
  CHECK(a.jitter_ms() == doctest::Approx((2.0 + 1.0 + 4.0) / 3.0));
  for (double v : {1.0, 3.0}) b.add_ms(v);
  a.merge(b);
  CHECK(a.count() == 6);
  CHECK(a.jitter_ms() == doctest::Approx((2.0 + 1.0 + 4.0 + 2.0) / 4.0));
  CHECK(a.min_ms() == 1.0);
  CHECK(a.avg_ms() == doctest::Approx(52.0 / 6.0));
  LatencySummary c;
  c.merge(a);
  CHECK(c.mdev_ms() == doctest::Approx(a.mdev_ms()));
}

TEST_CASE("latency: empty, one sample, bad samples") {
  LatencySummary s;
  CHECK(s.avg_ms() == 0.0);
  CHECK(s.percentile_ms(50) == 0.0);
  nt::output::Record rec("summary");
  s.put(rec, "rtt_ms");
  for (const char* k :
       {"rtt_ms_min", "rtt_ms_avg", "rtt_ms_max", "rtt_ms_mdev", "rtt_ms_p50", "rtt_ms_p90", "rtt_ms_p99"}) {
    CAPTURE(k);
    CHECK(rec.data[k].is_null());
  }
  s.add_ms(7.0);
  CHECK(s.mdev_ms() == 0.0);
  CHECK(s.jitter_ms() == 0.0);
  nt::output::Record one("summary");
  s.put(one, "rtt_ms");
  CHECK(one.data["rtt_ms_p99"] == 7.0);
  LatencySummary bad;
  bad.add_ms(-1.0);
  bad.add_ms(std::nan(""));
  CHECK(bad.max_ms() == 0.0);
}

TEST_CASE("latency: mdev keeps a tiny spread on a large mean") {
  LatencySummary s;
  for (int i = 0; i < 1000; ++i) s.add_ms(0.1);
  CHECK(s.mdev_ms() < 1e-12);
  LatencySummary t;  // a sum of squares (1e10 per sample) would have no digits left for 1e-6
  for (int i = 0; i < 1000; ++i) t.add_ms(100000.0 + (i % 2 ? 0.001 : -0.001));
  CHECK(t.mdev_ms() == doctest::Approx(0.001).epsilon(0.01));
  LatencySummary u;
  for (int i = 0; i < 10000; ++i) u.add_ns(i % 2 ? 1'000'000'002 : 1'000'000'000);
  CHECK(u.avg_ms() == doctest::Approx(1000.000001));
  CHECK(u.mdev_ms() == doctest::Approx(0.000001).epsilon(0.01).scale(0));
}
