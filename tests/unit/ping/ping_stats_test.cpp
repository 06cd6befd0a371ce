// ping's summary arithmetic and records, with the RTTs in output::LatencySummary.
#include <doctest/doctest.h>

#include <cmath>

#include "output/latency.hpp"
#include "subcommands/ping/records.hpp"

// The summary's own arithmetic is tested in latency_test.cpp; here, what ping makes of it.

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
  for (double v : {1.0, 2.0, 3.0}) h.rtt.add_ms(v);
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
  CHECK(rec.text.find("rtt p50/p90/p99 = 2.000/3.000/3.000 ms, jitter = 1.000 ms") != std::string::npos);
  CHECK(rec.list_item == "127.0.0.1");
}

TEST_CASE("summary: the total merges every host's RTTs") {
  using namespace nt::ping;
  auto list = expand_targets({"127.0.0.1", "127.0.0.2"}, AF_UNSPEC);
  std::vector<Host> hosts;
  for (std::size_t i = 0; i < 2; ++i) {
    hosts.emplace_back(list.targets[i], 0, static_cast<uint16_t>(i), 16);
    hosts.back().sent = hosts.back().received = 2;
  }
  for (double v : {1.0, 2.0}) hosts[0].rtt.add_ms(v);
  for (double v : {3.0, 4.0}) hosts[1].rtt.add_ms(v);
  auto rec = total_record(hosts, 1, 1.0);
  CHECK(rec.data["rtt_ms_min"] == 1.0);
  CHECK(rec.data["rtt_ms_max"] == 4.0);
  CHECK(rec.data["rtt_ms_avg"].get<double>() == doctest::Approx(2.5));
  CHECK(rec.data["rtt_ms_p50"] == 2.0);
}
