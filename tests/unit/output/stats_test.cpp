// Stats against hand-computed values.
#include <doctest/doctest.h>

#include "output/stats.hpp"

using nt::output::Stats;

TEST_CASE("min avg max mdev of 1 2 3 4") {
  Stats s;
  for (double v : {1.0, 2.0, 3.0, 4.0}) s.add(v);
  CHECK(s.count() == 4);
  CHECK(s.min() == 1.0);
  CHECK(s.max() == 4.0);
  CHECK(s.avg() == doctest::Approx(2.5));
  // population: sqrt(((1.5)^2 + (0.5)^2 + (0.5)^2 + (1.5)^2) / 4) = sqrt(1.25)
  CHECK(s.mdev() == doctest::Approx(1.1180339887));
}

TEST_CASE("percentiles interpolate between closest ranks") {
  Stats s;
  for (double v : {15.0, 20.0, 35.0, 40.0, 50.0}) s.add(v);
  CHECK(s.percentile(0) == 15.0);
  CHECK(s.percentile(50) == 35.0);
  CHECK(s.percentile(100) == 50.0);
  CHECK(s.percentile(90) == doctest::Approx(46.0));  // rank 3.6: 40 + 0.6*10
  CHECK(s.percentile(99) == doctest::Approx(49.6));  // rank 3.96
  CHECK(s.percentile(25) == doctest::Approx(20.0));  // rank 1.0
}

TEST_CASE("percentiles do not depend on insertion order") {
  Stats a, b;
  for (double v : {5.0, 1.0, 4.0, 2.0, 3.0}) a.add(v);
  for (double v : {1.0, 2.0, 3.0, 4.0, 5.0}) b.add(v);
  CHECK(a.percentile(50) == b.percentile(50));
  CHECK(a.percentile(90) == doctest::Approx(4.6));
}

TEST_CASE("jitter is the mean absolute successive difference") {
  Stats s;
  for (double v : {10.0, 12.0, 11.0, 15.0}) s.add(v);
  CHECK(s.jitter() == doctest::Approx((2.0 + 1.0 + 4.0) / 3.0));
}

TEST_CASE("empty and single-sample stats") {
  Stats s;
  CHECK(s.avg() == 0.0);
  CHECK(s.mdev() == 0.0);
  CHECK(s.percentile(50) == 0.0);
  nt::output::Record rec("summary");
  s.put(rec, "rtt_ms");
  CHECK(rec.data["rtt_ms_min"].is_null());
  s.add(7.0);
  CHECK(s.mdev() == 0.0);
  CHECK(s.jitter() == 0.0);
  nt::output::Record one("summary");
  s.put(one, "rtt_ms");
  CHECK(one.data["rtt_ms_p99"] == 7.0);
  CHECK(one.data.contains("rtt_ms_mdev"));
}

TEST_CASE("mdev of identical samples is zero, tiny spread on a large mean survives") {
  Stats s;
  for (int i = 0; i < 1000; ++i) s.add(0.1);
  CHECK(s.mdev() < 1e-12);
  Stats t;
  for (int i = 0; i < 1000; ++i) t.add(100000.0 + (i % 2 ? 0.001 : -0.001));
  CHECK(t.mdev() == doctest::Approx(0.001).epsilon(0.01));
}
