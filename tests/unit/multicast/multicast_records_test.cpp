// The receiver's per-sender arithmetic as records carry it: loss percent, interval deltas, delay.
#include <doctest/doctest.h>

#include <string>

#include "subcommands/multicast/records.hpp"

using namespace nt::multicast;

namespace {
SenderStats sender_with(std::initializer_list<uint64_t> seqs) {
  SenderStats s;
  s.source = "10.0.0.1:4000";
  s.sender_id = 0xabcd;
  for (uint64_t q : seqs) {
    Header h{0xabcd, 64, q, 1'000'000};
    s.add(h, 64, ArrivalInfo{3, 0x20, 2, 1'000'000 + 250'000});  // 0.25 ms after sending
  }
  return s;
}
}  // namespace

TEST_CASE("summary: lost, loss percent, delay, TTL and TOS of the latest datagram") {
  SenderStats s = sender_with({0, 1, 2, 4, 4, 3, 7});
  auto rec = SenderSummaryRecord{s, false, 0}.to_record().data;
  CHECK(rec["received"] == 7);
  CHECK(rec["unique"] == 6);
  CHECK(rec["duplicated"] == 1);
  CHECK(rec["reordered"] == 1);
  CHECK(rec["lost"] == 2);  // 5 and 6
  CHECK(rec["loss_percent"].get<double>() == doctest::Approx(25.0));
  CHECK(rec["delay_ms_min"].get<double>() == doctest::Approx(0.25));
  CHECK(rec["delay_ms_p99"].get<double>() == doctest::Approx(0.25));
  CHECK(rec["ttl"] == 3);
  CHECK(rec["tos"] == 0x20);
  CHECK(rec["expected"].is_null());
  CHECK(rec["complete"].is_null());
  auto expected = SenderSummaryRecord{s, true, 10}.to_record().data;
  CHECK(expected["lost"] == 4);  // 5, 6, 8, 9
  CHECK(expected["complete"] == false);
  CHECK(expected["loss_percent"].get<double>() == doctest::Approx(40.0));
}

TEST_CASE("interval records report what happened since the last one") {
  SenderStats s = sender_with({0, 1, 2});
  auto first = RecvIntervalRecord{s, 1.0, 1.0, false, 0}.to_record().data;
  CHECK(first["received"] == 3);
  CHECK(first["lost"] == 0);
  CHECK(first["rate_pps"].get<double>() == doctest::Approx(3.0));
  s.add({0xabcd, 64, 5, 0}, 64, {});
  auto second = RecvIntervalRecord{s, 2.0, 1.0, false, 0}.to_record().data;
  CHECK(second["received"] == 1);
  CHECK(second["lost"] == 2);
  CHECK(second["total_received"] == 4);
  CHECK(second["total_lost"] == 2);
}

TEST_CASE("a sender whose clock is ahead gives delays of 0, not negative") {
  SenderStats s;
  s.add({1, 64, 0, 5'000'000}, 64, ArrivalInfo{1, 0, 1, 1'000'000});
  CHECK(s.delay.min_ms() == 0.0);
}
