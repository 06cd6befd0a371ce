#include <doctest/doctest.h>

#include <cerrno>

#include "subcommands/portscan/classify.hpp"
#include "subcommands/portscan/pacing.hpp"
#include "subcommands/portscan/services.hpp"

using namespace nt::scan;

namespace {
TcpSegment segment(uint8_t flags, uint32_t ack) {
  TcpSegment s;
  s.flags = flags;
  s.ack = ack;
  return s;
}
}  // namespace

TEST_CASE("TCP replies: SYN-ACK open, RST closed, only when they ack our sequence") {
  CHECK(classify_tcp_reply(segment(kTcpSyn | kTcpAck, 101), 100) == Verdict{PortState::open, "syn-ack"});
  CHECK(classify_tcp_reply(segment(kTcpRst | kTcpAck, 101), 100) == Verdict{PortState::closed, "rst"});
  CHECK(!classify_tcp_reply(segment(kTcpSyn | kTcpAck, 555), 100));  // not our probe
  CHECK(!classify_tcp_reply(segment(kTcpRst, 0), 100));  // RST without ACK: not an answer to a SYN
  CHECK(!classify_tcp_reply(segment(kTcpSyn, 0), 100));  // our own SYN looped back
  CHECK(!classify_tcp_reply(segment(kTcpAck, 101), 100));
  CHECK(classify_tcp_reply(segment(kTcpSyn | kTcpAck, 0), 0xffffffff) == Verdict{PortState::open, "syn-ack"});
}

TEST_CASE("ICMP errors: port unreachable closes UDP ports, the rest filter") {
  CHECK(classify_icmp_error(false, 3, 3, true) == Verdict{PortState::closed, "port-unreachable"});
  CHECK(classify_icmp_error(true, 1, 4, true) == Verdict{PortState::closed, "port-unreachable"});
  CHECK(classify_icmp_error(false, 3, 13, true) == Verdict{PortState::filtered, "icmp-unreachable"});
  CHECK(classify_icmp_error(false, 3, 3, false) == Verdict{PortState::filtered, "icmp-unreachable"});
  CHECK(classify_icmp_error(true, 1, 1, false) == Verdict{PortState::filtered, "icmp-unreachable"});
  CHECK(!classify_icmp_error(false, 11, 0, false));  // time exceeded
  CHECK(!classify_icmp_error(true, 3, 0, true));
}

TEST_CASE("connect results") {
  CHECK(classify_connect(0)->state == PortState::open);
  CHECK(classify_connect(ECONNREFUSED) == Verdict{PortState::closed, "conn-refused"});
  CHECK(classify_connect(EHOSTUNREACH)->state == PortState::filtered);
  CHECK(classify_connect(ETIMEDOUT)->state == PortState::filtered);
  CHECK(!classify_connect(EMFILE));
  CHECK(!classify_connect(EADDRNOTAVAIL));
  CHECK(silence_verdict(true).state == PortState::open_filtered);
  CHECK(silence_verdict(false) == Verdict{PortState::filtered, "timeout"});
  CHECK(to_string(PortState::open_filtered) == "open|filtered");
}

TEST_CASE("RTT estimator: RFC 6298 smoothing, clamped") {
  using namespace std::chrono;
  RttEstimator est(milliseconds(100), seconds(1));
  CHECK(est.timeout() == seconds(1));
  est.sample(milliseconds(200));
  CHECK(est.timeout() == milliseconds(600));  // srtt 200 + 4 × rttvar 100
  for (int i = 0; i < 50; ++i) est.sample(microseconds(50));
  CHECK(est.timeout() == milliseconds(100));
  for (int i = 0; i < 50; ++i) est.sample(seconds(5));
  CHECK(est.timeout() == seconds(1));
}

TEST_CASE("probe window: delay steers it, timeouts cut it, never outside its bounds") {
  using namespace std::chrono;
  CHECK(ProbeWindow(100, 16, milliseconds(20), 8).limit() == 16);      // the floor at least
  CHECK(ProbeWindow(100, 16, milliseconds(20), 1000).limit() == 100);  // the ceiling at most
  ProbeWindow w(100, 16, milliseconds(20), 98);
  w.on_reply(microseconds(40));  // the first sample is the fastest: grows
  w.on_reply(microseconds(40));
  CHECK(w.limit() == 100);
  w.on_reply(microseconds(50));  // the fastest so far
  w.on_reply(milliseconds(10));  // within the allowance: already at the ceiling
  CHECK(w.limit() == 100);
  w.on_reply(milliseconds(30));  // 29.95 ms above the fastest: queued
  CHECK(w.limit() == 99);
  for (int i = 0; i < 200; ++i) w.on_reply(milliseconds(50));
  CHECK(w.limit() == 16);  // the floor
  w.on_reply(microseconds(60));
  CHECK(w.limit() == 17);
  w.on_timeout();
  CHECK(w.limit() == 16);  // 3/4 of 17 is 12, below the floor
  for (int i = 0; i < 84; ++i) w.on_reply(microseconds(60));
  CHECK(w.limit() == 100);
  w.on_timeout();
  CHECK(w.limit() == 75);
  w.cap(5);  // out of descriptors: below the floor until replies grow it
  CHECK(w.limit() == 5);
  w.cap(50);
  CHECK(w.limit() == 5);
}

TEST_CASE("services(5) parsing and banner escaping") {
  auto table = ServiceTable::parse(
      "# comment\nssh\t\t22/tcp\t\t\t# SSH\nssh 22/udp\nhttp 80/tcp www\nhttp-alt 80/tcp\nbad 0/tcp\njunk\nx "
      "70000/tcp\n");
  CHECK(table.lookup(22, "tcp") == "ssh");
  CHECK(table.lookup(22, "udp") == "ssh");
  CHECK(table.lookup(80, "tcp") == "http");
  CHECK(table.lookup(81, "tcp").empty());
  const std::string raw = "SSH-2.0-x\r\n\x01\"\\\xff";
  CHECK(escape_bytes(std::as_bytes(std::span(raw.data(), raw.size()))) ==
        "SSH-2.0-x\\r\\n\\x01\\\"\\\\\\xff");
}
