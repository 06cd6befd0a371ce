#include <doctest/doctest.h>

#include <string>

#include "subcommands/tcp_echo/records.hpp"

using namespace nt::tcp_echo;
using nt::output::Level;

TEST_CASE("server records carry their fields, snake_case, numbers as numbers") {
  auto l = ListeningEvent{"127.0.0.1:7007", 2, 100, 5, 30}.to_record();
  CHECK(l.type() == "listening");
  CHECK(l.data["address"] == "127.0.0.1:7007");
  CHECK(l.data["threads"] == 2);
  CHECK(l.data["idle_timeout_s"] == 30.0);
  CHECK(l.level == Level::essential);
  CHECK(l.text.find("127.0.0.1:7007") != std::string::npos);

  auto c = ClosedEvent{3, "[::1]:5000", 10, 9, 1.5, "reset"}.to_record();
  CHECK(c.data["conn_id"] == 3);
  CHECK(c.data["bytes_in"] == 10);
  CHECK(c.data["bytes_out"] == 9);
  CHECK(c.data["duration_s"] == 1.5);
  CHECK(c.data["reason"] == "reset");
  CHECK(c.data.contains("time"));

  auto r = RefusedEvent{"127.0.0.1:1", "max_clients", 4}.to_record();
  CHECK(r.type() == "refused");
  CHECK(r.data["active"] == 4);

  ServerSummary s;
  s.connections = 2;
  s.peak_concurrent = 2;
  s.signal = "SIGTERM";
  auto sr = s.to_record();
  CHECK(sr.type() == "summary");
  CHECK(sr.data["mode"] == "server");
  CHECK(sr.data["peak_concurrent"] == 2);
  CHECK(sr.level == Level::essential);
}

TEST_CASE("client records: reply, probe summary, interval, load summary, pipe summary") {
  auto rep = ReplyEvent{"127.0.0.1:7", 1, 64, 0.25, true}.to_record();
  CHECK(rep.data["seq"] == 1);
  CHECK(rep.data["rtt_ms"] == 0.25);
  CHECK(rep.data["match"] == true);
  CHECK(rep.text == "64 bytes from 127.0.0.1:7: seq=1 time=0.250 ms");

  nt::output::LatencySummary rtt;
  rtt.add_ms(1);
  rtt.add_ms(3);
  auto ps = ProbeSummary{"127.0.0.1:7", 2, 2, 1, &rtt}.to_record();
  CHECK(ps.data["mismatches"] == 1);
  CHECK(ps.data["rtt_ms_avg"] == 2.0);
  CHECK(ps.text.find("1 mismatch\n") != std::string::npos);

  nt::output::LatencySummary h;
  h.add_ns(500'000);
  IntervalEvent iv;
  iv.elapsed_s = 1;
  iv.interval_s = 0.5;
  iv.round_trips = 100;
  iv.bytes = 1'000'000;
  iv.rtt = &h;
  auto ir = iv.to_record();
  CHECK(ir.data["round_trips_per_s"] == 200.0);
  CHECK(ir.data["mb_per_s"] == 2.0);

  auto ls = LoadSummary{"x", "load", 10, 64, 1, 2.0, 1000, 64000, 0, 0, &h}.to_record();
  CHECK(ls.data["round_trips_per_s"] == 500.0);
  CHECK(ls.data["mb_per_s"] == doctest::Approx(0.032));
  CHECK(ls.data["rtt_ms_p50"] == doctest::Approx(0.5).epsilon(0.008));

  auto pipe = PipeSummary{"x", 10, 10, 1.0}.to_record();
  CHECK(pipe.data["bytes_verified"] == 10);
  CHECK(pipe.text.empty());  // text mode's stdout is the data itself
}
