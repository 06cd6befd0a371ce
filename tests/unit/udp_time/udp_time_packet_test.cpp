// The 48-byte NTP header: byte layout, round trip, reference ids.
#include <doctest/doctest.h>

#include "subcommands/udp_time/sntp_packet.hpp"

using namespace nt::timeproto;

TEST_CASE("A client request encodes LI/VN/mode into the first byte") {
  NtpPacket p;
  p.version = 4;
  p.mode = Mode::client;
  p.transmit = NtpTimestamp{0x0102030405060708ULL};
  NtpBytes b = encode(p);
  CHECK(std::to_integer<int>(b[0]) == 0x23);  // 00 100 011
  CHECK(std::to_integer<int>(b[40]) == 0x01);
  CHECK(std::to_integer<int>(b[47]) == 0x08);
  p.leap = Leap::unsynchronised;
  p.version = 3;
  p.mode = Mode::server;
  CHECK(std::to_integer<int>(encode(p)[0]) == 0xdc);  // 11 011 100
}

TEST_CASE("Every field round-trips") {
  NtpPacket p;
  p.leap = Leap::add_second;
  p.version = 3;
  p.mode = Mode::server;
  p.stratum = 2;
  p.poll = 6;
  p.precision = -23;
  p.root_delay = 0x00010203;
  p.root_dispersion = 0x00000405;
  p.reference_id = 0x7f000001;
  p.reference = NtpTimestamp{1};
  p.origin = NtpTimestamp{2};
  p.receive = NtpTimestamp{0xfffffffffffffffeULL};
  p.transmit = NtpTimestamp{4};
  NtpBytes b = encode(p);
  auto d = decode(b);
  REQUIRE(d);
  CHECK(d->leap == Leap::add_second);
  CHECK(d->version == 3);
  CHECK(d->mode == Mode::server);
  CHECK(d->stratum == 2);
  CHECK(d->poll == 6);
  CHECK(d->precision == -23);
  CHECK(d->root_delay == 0x00010203U);
  CHECK(d->root_dispersion == 0x00000405U);
  CHECK(d->reference_id == 0x7f000001U);
  CHECK(d->reference.raw == 1U);
  CHECK(d->origin.raw == 2U);
  CHECK(d->receive.raw == 0xfffffffffffffffeULL);
  CHECK(d->transmit.raw == 4U);
}

TEST_CASE("Short input is rejected, trailing extension/MAC bytes are ignored") {
  std::array<std::byte, 68> big{};
  big[0] = std::byte{0x1c};
  CHECK_FALSE(decode(std::span(big).first(47)));
  auto d = decode(big);
  REQUIRE(d);
  CHECK(d->mode == Mode::server);
  CHECK(d->version == 3);
}

TEST_CASE("Reference ids: ASCII below stratum 2, IPv4 above") {
  CHECK(refid_from_ascii("LOCL") == 0x4c4f434cU);
  CHECK(refid_from_ascii("GPS") == 0x47505300U);
  CHECK(refid_text(refid_from_ascii("GPS"), 1) == "GPS");
  CHECK(refid_text(refid_from_ascii("RATE"), 0) == "RATE");
  CHECK(refid_text(0x7f000001U, 3) == "127.0.0.1");
  CHECK(refid_text(0x01ff0041U, 1) == "??");  // non-printable shown as ?, NUL ends it
  CHECK(leap_name(Leap::unsynchronised) == "unsynchronised");
}
