// ping option validation, payload patterns, CIDR and target-list expansion, probe matching.
#include <doctest/doctest.h>
#include <sys/socket.h>

#include <sstream>

#include "net/ip_address.hpp"
#include "net/target_file.hpp"
#include "subcommands/ping/host.hpp"
#include "subcommands/ping/options.hpp"
#include "subcommands/ping/targets.hpp"
#include "sys/error.hpp"

using namespace nt::ping;

TEST_CASE("pattern: hex pairs up to 16 bytes") {
  auto p = parse_pattern("ff00");
  REQUIRE(p.size() == 2);
  CHECK(p[0] == std::byte{0xff});
  CHECK(p[1] == std::byte{0x00});
  CHECK(parse_pattern("DeadBeef").size() == 4);
  CHECK_THROWS_AS(parse_pattern("abc"), nt::UsageError);
  CHECK_THROWS_AS(parse_pattern("zz"), nt::UsageError);
  CHECK_THROWS_AS(parse_pattern(std::string(34, 'a')), nt::UsageError);
}

TEST_CASE("payload: iputils counting bytes, or the repeated pattern") {
  auto counting = make_payload(300, {});
  CHECK(counting[0] == std::byte{0});
  CHECK(counting[4] == std::byte{4});
  CHECK(counting[256] == std::byte{0});
  auto pat = make_payload(5, {std::byte{0xaa}, std::byte{0xbb}});
  CHECK(pat[0] == std::byte{0xaa});
  CHECK(pat[3] == std::byte{0xbb});
  CHECK(pat[4] == std::byte{0xaa});
  CHECK(make_payload(0, {}).empty());
}

TEST_CASE("tos: decimal or hex, 0-255") {
  CHECK(parse_tos("0x10") == 16);
  CHECK(parse_tos("255") == 255);
  CHECK(parse_tos("0") == 0);
  CHECK_THROWS_AS(parse_tos("256"), nt::UsageError);
  CHECK_THROWS_AS(parse_tos("x"), nt::UsageError);
  CHECK_THROWS_AS(parse_tos("0x"), nt::UsageError);
  CHECK_THROWS_AS(parse_tos("-1"), nt::UsageError);
}

TEST_CASE("validate: defaults and iputils meanings") {
  Options o;
  Settings s = validate(o, AF_UNSPEC);
  CHECK(s.count == 0);
  CHECK(s.interval == std::chrono::seconds(1));
  CHECK(s.timeout == std::chrono::seconds(1));
  CHECK_FALSE(s.deadline);
  CHECK(s.payload.size() == 56);
  CHECK(s.required_replies == 1);
  o.flood = true;
  CHECK(validate(o, AF_UNSPEC).interval == std::chrono::milliseconds(10));
  o.count = 5;
  o.deadline = 10;
  CHECK(validate(o, AF_UNSPEC).required_replies == 5);  // with -w, -c counts replies
  o.min_replies = 2;
  CHECK(validate(o, AF_UNSPEC).required_replies == 2);
}

TEST_CASE("validate: bad values are usage errors") {
  auto bad = [](auto mutate) {
    Options o;
    mutate(o);
    CHECK_THROWS_AS(validate(o, AF_UNSPEC), nt::UsageError);
  };
  bad([](Options& o) { o.count = 0; });
  bad([](Options& o) { o.interval = -2; });
  // -1 once meant "unset"; typed by a user it is an error like any other negative value.
  bad([](Options& o) { o.count = -1; });
  bad([](Options& o) { o.interval = -1; });
  bad([](Options& o) { o.deadline = -1; });
  bad([](Options& o) { o.ttl = -1; });
  bad([](Options& o) { o.min_replies = -1; });
  bad([](Options& o) { o.timeout = 0; });
  bad([](Options& o) { o.deadline = 0; });
  bad([](Options& o) { o.size = 65528; });
  bad([](Options& o) { o.size = -1; });
  bad([](Options& o) { o.ttl = 0; });
  bad([](Options& o) { o.ttl = 256; });
  bad([](Options& o) { o.socket = "packet"; });
  bad([](Options& o) { o.interface = "no-such-interface0"; });
  bad([](Options& o) { o.min_replies = 0; });
  bad([](Options& o) {
    o.count = 3;
    o.min_replies = 4;
  });
}

TEST_CASE("validate: -I takes an address or an existing interface") {
  Options o;
  o.interface = "127.0.0.1";
  Settings s = validate(o, AF_UNSPEC);
  REQUIRE(s.socket_setup.source);
  CHECK(s.socket_setup.source->host() == "127.0.0.1");
  o.interface = "lo";
  CHECK(validate(o, AF_UNSPEC).socket_setup.device == "lo");
}

TEST_CASE("cidr: network and broadcast left out up to /30") {
  auto v = expand_cidr("10.0.0.0/30", AF_UNSPEC);
  REQUIRE(v);
  REQUIRE(v->size() == 2);
  CHECK((*v)[0].host() == "10.0.0.1");
  CHECK((*v)[1].host() == "10.0.0.2");
  CHECK(expand_cidr("10.0.0.7/31", AF_UNSPEC)->size() == 2);
  CHECK(expand_cidr("10.0.0.7/32", AF_UNSPEC)->front().host() == "10.0.0.7");
  CHECK(expand_cidr("127.0.0.0/22", AF_INET)->size() == 1022);
  CHECK(expand_cidr("127.0.0.0/16", AF_UNSPEC)->size() == 65534);
  CHECK_FALSE(expand_cidr("10.0.0.1", AF_UNSPEC));
}

TEST_CASE("cidr: IPv6 blocks and malformed input") {
  auto v = expand_cidr("fd00::/126", AF_UNSPEC);
  REQUIRE(v);
  REQUIRE(v->size() == 4);
  CHECK((*v)[0].host() == "fd00::");
  CHECK((*v)[3].host() == "fd00::3");
  CHECK(expand_cidr("::1/128", AF_INET6)->front().host() == "::1");
  CHECK_THROWS_AS(expand_cidr("10.0.0.0/33", AF_UNSPEC), nt::UsageError);
  CHECK_THROWS_AS(expand_cidr("10.0.0.0/15", AF_UNSPEC), nt::UsageError);
  CHECK_THROWS_AS(expand_cidr("10.0.0.0/", AF_UNSPEC), nt::UsageError);
  CHECK_THROWS_AS(expand_cidr("10.0.0.0/2x", AF_UNSPEC), nt::UsageError);
  CHECK_THROWS_AS(expand_cidr("host/24", AF_UNSPEC), nt::UsageError);
  CHECK_THROWS_AS(expand_cidr("10.0.0.0/24", AF_INET6), nt::UsageError);
}

TEST_CASE("target lines: comments and blanks dropped") {
  std::istringstream in("127.0.0.1\n\n  # a comment\n::1  # trailing\r\n\t127.0.0.0/30\n");
  auto lines = nt::net::read_target_lines(in);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "127.0.0.1");
  CHECK(lines[1] == "::1");
  CHECK(lines[2] == "127.0.0.0/30");
}

TEST_CASE("targets: literals deduplicated, families enforced, bad names rejected") {
  auto list = expand_targets({"127.0.0.1", "::1", "127.0.0.1", "127.0.0.0/30"}, AF_UNSPEC);
  REQUIRE(list.targets.size() == 3);  // 127.0.0.1 once, ::1, 127.0.0.2
  CHECK(list.targets[0].address.host() == "127.0.0.1");
  CHECK(list.targets[1].address.family() == AF_INET6);
  CHECK(list.targets[2].address.host() == "127.0.0.2");
  CHECK(list.errors.empty());
  CHECK_THROWS_AS(expand_targets({"::1"}, AF_INET), nt::UsageError);
  CHECK_THROWS_AS(expand_targets({"bad host!"}, AF_UNSPEC), nt::UsageError);
  CHECK_THROWS_AS(expand_targets({"1.2.3"}, AF_UNSPEC), nt::UsageError);
}

TEST_CASE("matching: identifier (raw sockets) and remembered sequence") {
  auto list = expand_targets({"127.0.0.1"}, AF_UNSPEC);
  Host h(list.targets[0], 0, 0x1234, 16);
  Probe& p = h.ring.slot(70000);  // wire sequence 70000 mod 65536 = 4464
  p.number = 70000;
  p.state = ProbeState::pending;
  CHECK(match_probe(h, true, 0x1234, 4464) == &p);
  CHECK(match_probe(h, true, 0x1235, 4464) == nullptr);       // wrong id
  CHECK(match_probe(h, false, 0x9999, 4464) == &p);           // datagram: the kernel chose the id
  CHECK(match_probe(h, true, 0x1234, 4465) == nullptr);       // never sent
  CHECK(match_probe(h, true, 0x1234, 4464 + 16) == nullptr);  // same slot, other number
  // Replies and quoted errors are matched to hosts by the core address type (no port, no scope).
  CHECK(nt::net::IpAddress::from_socket(list.targets[0].address) == nt::net::IpAddress::v4(0x7f000001));
}
