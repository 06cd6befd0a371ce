// The multicast payload header against a known vector, and every way a datagram is refused.
#include <doctest/doctest.h>

#include <string>

#include <array>
#include <vector>

#include "subcommands/multicast/payload.hpp"

using namespace nt::multicast;

namespace {
std::vector<std::byte> bytes(std::initializer_list<int> v) {
  std::vector<std::byte> out;
  for (int b : v) out.push_back(std::byte(b));
  return out;
}
}  // namespace

TEST_CASE("the header's bytes, big-endian, as the man page lists them") {
  std::vector<std::byte> buf(40, std::byte{0xee});
  write_header(buf, {0x01020304, 40, 0x1112131415161718ULL, 0x2122232425262728LL});
  const auto expected =
      bytes({0x4e, 0x54, 0x4d, 0x43, 1,    0,    0,    32,   1,    2,    3,    4,    0,    0,    0,    40,
             0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28});
  CHECK(std::equal(expected.begin(), expected.end(), buf.begin()));
  CHECK(buf[32] == std::byte{0xee});  // padding is the caller's
}

TEST_CASE("a header round-trips, stamp rewrites only sequence and time") {
  std::vector<std::byte> buf(64);
  write_header(buf, {7, 64, 0, 0});
  stamp(buf, 42, -5);  // a clock before 1970 is still a signed value
  Header h;
  REQUIRE(parse_header(buf, false, h) == Rejection::none);
  CHECK(h.sender_id == 7);
  CHECK(h.length == 64);
  CHECK(h.sequence == 42);
  CHECK(h.send_ns == -5);
}

TEST_CASE("datagrams that are not ours are refused with a reason") {
  std::vector<std::byte> good(48);
  write_header(good, {1, 48, 3, 4});
  Header h;
  SUBCASE("random bytes, empty, a short magic") {
    CHECK(parse_header(bytes({'h', 'e', 'l', 'l', 'o', '\n'}), false, h) == Rejection::bad_magic);
    CHECK(parse_header({}, false, h) == Rejection::bad_magic);
    CHECK(parse_header(bytes({0x4e, 0x54}), false, h) == Rejection::bad_magic);
  }
  SUBCASE("cut inside the header") {
    CHECK(parse_header(std::span(good).first(31), false, h) == Rejection::short_datagram);
  }
  SUBCASE("another version") {
    good[4] = std::byte{2};
    CHECK(parse_header(good, false, h) == Rejection::bad_version);
  }
  SUBCASE("header length below 32 or past the datagram") {
    good[7] = std::byte{16};
    CHECK(parse_header(good, false, h) == Rejection::bad_header_length);
    good[7] = std::byte{49};
    CHECK(parse_header(good, false, h) == Rejection::bad_header_length);
  }
  SUBCASE("a longer header (a later version's fields) is fine") {
    good[7] = std::byte{40};
    CHECK(parse_header(good, false, h) == Rejection::none);
  }
  SUBCASE("length field disagrees with what arrived, or the kernel truncated it") {
    CHECK(parse_header(std::span(good).first(40), false, h) == Rejection::bad_length);
    CHECK(parse_header(good, true, h) == Rejection::bad_length);
  }
  CHECK(std::string(rejection_name(Rejection::bad_magic)) == "no_header");
}
