// The statistics ping reports (output::Stats) against hand-computed values, and ping's own
// summary arithmetic and records.
#include <doctest/doctest.h>

#include <cmath>

#include "output/stats.hpp"
#include "subcommands/ping/records.hpp"

using nt::output::Stats;

TEST_CASE("stats: mdev is the population deviation, as iputils") {
  Stats s;
  for (double v : {1.0, 2.0, 3.0, 4.0}) s.add(v);
  CHECK(s.min() == doctest::Approx(1.0));
  CHECK(s.max() == doctest::Approx(4.0));
  CHECK(s.avg() == doctest::Approx(2.5));
  CHECK(s.mdev() == doctest::Approx(std::sqrt(1.25)));  // sqrt(E[x^2] - E[x]^2) = sqrt(7.5 - 6.25)
}

TEST_CASE("stats: percentiles interpolate between closest ranks") {
  Stats s;
  for (double v : {4.0, 1.0, 3.0, 2.0}) s.add(v);
  CHECK(s.percentile(50) == doctest::Approx(2.5));
  CHECK(s.percentile(90) == doctest::Approx(3.7));  // rank 0.9*3 = 2.7 → 3 + 0.7*(4-3)
  CHECK(s.percentile(99) == doctest::Approx(3.97));
  CHECK(s.percentile(0) == doctest::Approx(1.0));
  CHECK(s.percentile(100) == doctest::Approx(4.0));
  CHECK(s.jitter() == doctest::Approx(2.0));  // |1-4|, |3-1|, |2-3| → 6/3
}

TEST_CASE("stats: one sample") {
  Stats s;
  s.add(0.042);
  CHECK(s.mdev() == doctest::Approx(0.0));
  CHECK(s.percentile(99) == doctest::Approx(0.042));
}

TEST_CASE("summary: loss and fields") {
  using namespace nt::ping;
  CHECK(loss_percent(4, 3) == doctest::Approx(25.0));
  CHECK(loss_percent(0, 0) == doctest::Approx(0.0));
  CHECK(loss_percent(3, 4) == doctest::Approx(0.0));  // duplicates never make loss negative
  auto list = expand_targets({"127.0.0.1"}, AF_UNSPEC);
  Host h(list.targets[0], 0, 1, 16);
  h.sent = 4;
  h.received = 3;
  h.duplicates = 1;
  for (double v : {1.0, 2.0, 3.0}) h.rtt.add(v);
  auto rec = summary_record(h, 3.0, RecordStyle{});
  CHECK(rec.data["type"] == "summary");
  CHECK(rec.data["scope"] == "host");
  CHECK(rec.data["transmitted"] == 4);
  CHECK(rec.data["received"] == 3);
  CHECK(rec.data["loss_percent"].get<double>() == doctest::Approx(25.0));
  CHECK(rec.data["rtt_ms_avg"].get<double>() == doctest::Approx(2.0));
  CHECK(rec.data["jitter_ms"].get<double>() == doctest::Approx(1.0));
  CHECK(rec.text.find("--- 127.0.0.1 ping statistics ---") != std::string::npos);
  CHECK(rec.text.find("4 packets transmitted, 3 received, +1 duplicates, 25% packet loss") !=
        std::string::npos);
  CHECK(rec.text.find("rtt min/avg/max/mdev = 1.000/2.000/3.000/0.816 ms") != std::string::npos);
  CHECK(rec.list_item == "127.0.0.1");
}
