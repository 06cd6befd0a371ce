// The server's pure responder: what it answers, with what, and what it ignores.
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "subcommands/udp_time/responder.hpp"
#include "subcommands/udp_time/sntp_validate.hpp"

using namespace nt::timeproto;

namespace {
constexpr int64_t kRecv = int64_t{1795586847} * kNsPerS + 250'000'000;
constexpr int64_t kXmit = kRecv + 40'000;

ResponderConfig sntp_config() {
  ResponderConfig c;
  c.stratum = 7;
  c.precision = -22;
  c.reference_id = refid_from_ascii("LOCL");
  c.root_dispersion_s = 0.001;
  return c;
}

std::vector<std::byte> request(uint8_t first_byte, std::size_t size = kNtpHeaderSize) {
  std::vector<std::byte> r(std::max<std::size_t>(size, 3));
  r[0] = std::byte{first_byte};
  r[2] = std::byte{6};                                                    // poll
  for (std::size_t i = 40; i < 48 && i < size; ++i) r[i] = std::byte(i);  // transmit
  r.resize(size);
  return r;
}
}  // namespace

TEST_CASE("An SNTP client request gets a mode-4 reply echoing its transmit timestamp") {
  ResponderConfig c = sntp_config();
  for (uint8_t version : {1, 2, 3, 4}) {
    auto req = request(static_cast<uint8_t>(version << 3 | 3));
    REQUIRE(check_request(c, req, false) == DropReason::none);
    std::array<std::byte, 64> out{};
    std::size_t n = build_reply(c, req, kRecv, kXmit, out);
    CHECK(n == kNtpHeaderSize);
    auto sent = decode(req)->transmit;
    auto r = check_reply(std::span(out).first(n), sent);
    CHECK(r.verdict == ReplyVerdict::ok);
    CHECK(r.packet->version == version);
    CHECK(r.packet->stratum == 7);
    CHECK(r.packet->precision == -22);
    CHECK(r.packet->poll == 6);
    CHECK(r.packet->reference_id == refid_from_ascii("LOCL"));
    CHECK(r.packet->root_dispersion == short_from_seconds(0.001));
    CHECK(r.packet->receive == ntp_from_unix_ns(kRecv));
    CHECK(r.packet->transmit == ntp_from_unix_ns(kXmit));
    CHECK(unix_ns_from_ntp(r.packet->reference, kRecv) <= kRecv);
  }
}

TEST_CASE("Malformed, oversized and non-client requests are dropped") {
  ResponderConfig c = sntp_config();
  CHECK(check_request(c, request(0x23, 47), false) == DropReason::malformed);
  CHECK(check_request(c, request(0x23, 0), false) == DropReason::malformed);
  CHECK(check_request(c, request(0x23, 50), false) == DropReason::malformed);  // not 32-bit words
  CHECK(check_request(c, request(0x23, 68), false) == DropReason::none);       // MAC appended
  CHECK(check_request(c, request(0x23, 1028), false) == DropReason::oversized);
  CHECK(check_request(c, request(0x23), true) == DropReason::oversized);
  CHECK(check_request(c, request(0x24), false) == DropReason::not_client);  // mode 4 (a reply)
  CHECK(check_request(c, request(0x21), false) == DropReason::not_client);  // symmetric active
  CHECK(check_request(c, request(0x26), false) == DropReason::not_client);  // control (ntpq)
  CHECK(check_request(c, request(0x03), false) == DropReason::bad_version);
  CHECK(check_request(c, request(0x2b), false) == DropReason::bad_version);  // version 5
}

TEST_CASE("Replies are never larger than the request needs") {
  ResponderConfig c = sntp_config();
  auto req = request(0x23, 1024);
  std::array<std::byte, 64> out{};
  CHECK(build_reply(c, req, kRecv, kXmit, out) == kNtpHeaderSize);
  c.protocol = Protocol::time;
  CHECK(check_request(c, {}, false) == DropReason::none);  // RFC 868: an empty datagram
  CHECK(check_request(c, request(0, 513), false) == DropReason::oversized);
  CHECK(build_reply(c, {}, kRecv, kXmit, out) == 4);
  CHECK(std::to_integer<uint32_t>(out[0]) == 0xee);  // 4004575647 = 0xeeb0…
  c.protocol = Protocol::daytime;
  std::size_t n = build_reply(c, {}, kRecv, kXmit, out);
  CHECK(n <= kDaytimeMaxReply);
  CHECK(std::string(reinterpret_cast<const char*>(out.data()), n) == "Wed Nov 25 06:07:27 2026\r\n");
}

TEST_CASE("A RATE kiss-o'-death answers the request it limits") {
  auto req = request(0x1b);  // version 3
  std::array<std::byte, 64> out{};
  std::size_t n = build_kod_rate(req, kRecv, kXmit, out);
  REQUIRE(n == kNtpHeaderSize);
  auto r = check_reply(std::span(out).first(n), decode(req)->transmit);
  CHECK(r.verdict == ReplyVerdict::kod_rate);
  CHECK(r.packet->version == 3);
  CHECK(r.packet->stratum == 0);
}

TEST_CASE("Protocol names and ports") {
  CHECK(protocol_name(Protocol::sntp) == "sntp");
  CHECK(standard_port(Protocol::daytime) == 13);
  CHECK(standard_port(Protocol::time) == 37);
  CHECK(standard_port(Protocol::sntp) == 123);
  CHECK(default_server_port(Protocol::sntp) == 10123);
  CHECK(drop_reason_name(DropReason::not_client) == "not_client");
  int8_t p = measure_precision();
  CHECK(p < 0);
  CHECK(p >= -32);
}

TEST_CASE("Reflection: port 0 never, low ports not for daytime/time unless allowed") {
  ResponderConfig c = sntp_config();
  CHECK(check_source_port(c, 0) == DropReason::source_port);
  CHECK(check_source_port(c, 123) == DropReason::none);  // ntpd queries from port 123
  for (Protocol p : {Protocol::daytime, Protocol::time}) {
    c.protocol = p;
    c.allow_low_ports = false;
    for (uint16_t port : {0, 7, 13, 19, 37, 123, 1023})
      CHECK(check_source_port(c, port) == DropReason::source_port);
    CHECK(check_source_port(c, 1024) == DropReason::none);
    CHECK(drop_reason_name(DropReason::source_port) == "source_port");
    c.allow_low_ports = true;
    CHECK(check_source_port(c, 7) == DropReason::none);
    CHECK(check_source_port(c, 0) == DropReason::source_port);
  }
}

TEST_CASE("Reflection: daytime/time never answer another time server's reply") {
  ResponderConfig c = sntp_config();
  std::array<std::byte, 64> out{};
  for (Protocol p : {Protocol::daytime, Protocol::time}) {
    c.protocol = Protocol::time;
    std::size_t time_reply = build_reply(c, {}, kRecv, kXmit, out);
    c.protocol = Protocol::daytime;
    std::size_t day_reply = build_reply(c, {}, kRecv, kXmit, out);
    c.protocol = p;
    std::vector<std::byte> t(out.begin(), out.begin() + static_cast<long>(time_reply));
    std::vector<std::byte> d(out.begin(), out.begin() + static_cast<long>(day_reply));
    CHECK(check_request(c, t, false) == DropReason::reply_like);
    CHECK(check_request(c, d, false) == DropReason::reply_like);
    CHECK(check_request(c, request(0x24), false) == DropReason::reply_like);  // SNTP mode 4
    CHECK(check_request(c, request(0x25), false) == DropReason::reply_like);  // SNTP mode 5
    CHECK(check_request(c, request(0x23), false) == DropReason::none);        // a client's request
    CHECK(check_request(c, {}, false) == DropReason::none);
    CHECK(drop_reason_name(DropReason::reply_like) == "reply_like");
    // The reply never exceeds the request by more than the documented bound.
    CHECK(build_reply(c, {}, kRecv, kXmit, out) <= kMaxReplyGrowth);
  }
}
