// What the client accepts: only a mode-4 answer echoing our transmit timestamp, from a synchronised
// server, with a transmit timestamp; kisses of death reported by code.
#include <doctest/doctest.h>

#include "subcommands/udp_time/sntp_validate.hpp"

using namespace nt::timeproto;

namespace {
constexpr NtpTimestamp kSent{0x1122334455667788ULL};

NtpPacket good_reply() {
  NtpPacket p;
  p.version = 4;
  p.mode = Mode::server;
  p.stratum = 8;
  p.reference_id = refid_from_ascii("LOCL");
  p.origin = kSent;
  p.receive = NtpTimestamp{0xeeeeeeee00000000ULL};
  p.transmit = NtpTimestamp{0xeeeeeeee00001000ULL};
  return p;
}

ReplyVerdict verdict_of(const NtpPacket& p) {
  return check_reply(encode(p), kSent).verdict;
}

NtpPacket kiss(const char* code) {
  NtpPacket p = good_reply();
  p.stratum = 0;
  p.leap = Leap::unsynchronised;
  p.reference_id = refid_from_ascii(code);
  return p;
}
}  // namespace

TEST_CASE("A proper reply is accepted") {
  CHECK(verdict_of(good_reply()) == ReplyVerdict::ok);
}

TEST_CASE("Wrong origin is rejected (spoofed or stale), even when it carries a KoD") {
  NtpPacket p = good_reply();
  p.origin = NtpTimestamp{kSent.raw + 1};
  CHECK(verdict_of(p) == ReplyVerdict::wrong_origin);
  NtpPacket k = kiss("DENY");
  k.origin = NtpTimestamp{0};
  CHECK(verdict_of(k) == ReplyVerdict::wrong_origin);
}

TEST_CASE("Wrong mode, bad version, zero transmit") {
  for (Mode m : {Mode::client, Mode::symmetric_active, Mode::broadcast, Mode::control}) {
    NtpPacket p = good_reply();
    p.mode = m;
    CHECK(verdict_of(p) == ReplyVerdict::wrong_mode);
  }
  for (uint8_t v : {0, 5, 7}) {
    NtpPacket p = good_reply();
    p.version = v;
    CHECK(verdict_of(p) == ReplyVerdict::bad_version);
  }
  NtpPacket z = good_reply();
  z.transmit = NtpTimestamp{0};
  CHECK(verdict_of(z) == ReplyVerdict::zero_transmit);
}

TEST_CASE("Stratum 0 is a kiss-o'-death, by code") {
  CHECK(verdict_of(kiss("DENY")) == ReplyVerdict::kod_deny);
  CHECK(verdict_of(kiss("RSTR")) == ReplyVerdict::kod_rstr);
  CHECK(verdict_of(kiss("RATE")) == ReplyVerdict::kod_rate);
  CHECK(verdict_of(kiss("INIT")) == ReplyVerdict::kod_other);
  CHECK(kod_stops(ReplyVerdict::kod_deny));
  CHECK(kod_stops(ReplyVerdict::kod_rstr));
  CHECK_FALSE(kod_stops(ReplyVerdict::kod_rate));
  CHECK(is_kod(ReplyVerdict::kod_other));
  CHECK_FALSE(is_kod(ReplyVerdict::ok));
}

TEST_CASE("Leap indicator 3 or stratum 16 means unsynchronised") {
  NtpPacket p = good_reply();
  p.leap = Leap::unsynchronised;
  CHECK(verdict_of(p) == ReplyVerdict::unsynchronised);
  NtpPacket s = good_reply();
  s.stratum = 16;
  CHECK(verdict_of(s) == ReplyVerdict::unsynchronised);
  NtpPacket leap = good_reply();
  leap.leap = Leap::add_second;  // a leap warning is fine
  CHECK(verdict_of(leap) == ReplyVerdict::ok);
}

TEST_CASE("Too short") {
  NtpBytes b = encode(good_reply());
  CHECK(check_reply(std::span(b).first(47), kSent).verdict == ReplyVerdict::too_short);
  CHECK(verdict_name(ReplyVerdict::wrong_origin) == "wrong_origin");
}

TEST_CASE("A reply whose transmit precedes its receive timestamp is rejected (t3 < t2)") {
  NtpPacket p = good_reply();
  p.transmit = NtpTimestamp{p.receive.raw - 1};
  CHECK(verdict_of(p) == ReplyVerdict::reversed_timestamps);
  CHECK(verdict_name(ReplyVerdict::reversed_timestamps) == "reversed_timestamps");
  p.transmit = p.receive;  // t3 == t2 is fine: a fast server
  CHECK(verdict_of(p) == ReplyVerdict::ok);
  p.receive = NtpTimestamp{0xffffffff00000000ULL};  // across the era boundary t3 wraps to a small value
  p.transmit = NtpTimestamp{0x0000000000001000ULL};
  CHECK(verdict_of(p) == ReplyVerdict::ok);
}

TEST_CASE("A root delay or dispersion above 16 s (MAXDISP) is rejected") {
  NtpPacket p = good_reply();
  p.root_delay = kMaxRootDistance;
  CHECK(verdict_of(p) == ReplyVerdict::ok);
  p.root_delay = kMaxRootDistance + 1;
  CHECK(verdict_of(p) == ReplyVerdict::excessive_root);
  p = good_reply();
  p.root_dispersion = 0xffffffffU;
  CHECK(verdict_of(p) == ReplyVerdict::excessive_root);
  CHECK(verdict_name(ReplyVerdict::excessive_root) == "excessive_root");
}
