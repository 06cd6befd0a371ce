// Option checks and the group classification the subcommand relies on (net/multicast).
#include <doctest/doctest.h>

#include <string>

#include "net/address.hpp"
#include "net/multicast.hpp"
#include "net/route.hpp"
#include "subcommands/multicast/group.hpp"
#include "subcommands/multicast/options.hpp"
#include "sys/error.hpp"

using namespace nt::multicast;
using nt::net::SocketAddress;

namespace {
SocketAddress ip(const char* text) {
  return *SocketAddress::from_ip(text, 5000);
}
}  // namespace

TEST_CASE("group classes: multicast, source-specific, link-local scopes") {
  CHECK(nt::net::is_multicast(ip("224.0.0.1")));
  CHECK(nt::net::is_multicast(ip("239.255.255.255")));
  CHECK_FALSE(nt::net::is_multicast(ip("240.0.0.1")));
  CHECK_FALSE(nt::net::is_multicast(ip("10.0.0.1")));
  CHECK(nt::net::is_multicast(ip("ff02::1")));
  CHECK_FALSE(nt::net::is_multicast(ip("fd07::1")));
  CHECK(nt::net::is_source_specific_group(ip("232.1.2.3")));
  CHECK_FALSE(nt::net::is_source_specific_group(ip("239.1.2.3")));
  CHECK(nt::net::is_source_specific_group(ip("ff3e::1234")));
  CHECK(nt::net::is_source_specific_group(ip("ff35::8000:1")));
  CHECK_FALSE(nt::net::is_source_specific_group(ip("ff3e:40:2001:db8::1")));  // unicast-prefix, not SSM
  CHECK_FALSE(nt::net::is_source_specific_group(ip("ff15::1")));
  CHECK(nt::net::needs_interface(ip("ff02::1")));
  CHECK(nt::net::needs_interface(ip("ff01::1")));
  CHECK(nt::net::needs_interface(ip("ff12::1")));  // transient, link scope
  CHECK_FALSE(nt::net::needs_interface(ip("ff05::1")));
  CHECK_FALSE(nt::net::needs_interface(ip("224.0.0.1")));
}

TEST_CASE("--loop takes on or off") {
  CHECK(parse_on_off("--loop", "on"));
  CHECK_FALSE(parse_on_off("--loop", "off"));
  CHECK_THROWS_AS(parse_on_off("--loop", "maybe"), nt::UsageError);
}

TEST_CASE("option combinations recv refuses") {
  RecvOptions o;
  o.target = "239.1.1.1:5000";
  CHECK_NOTHROW(check_recv(o));
  o.timeout_s = 1;
  CHECK_THROWS_AS(check_recv(o), nt::UsageError);
  o.expect = 10;
  CHECK_NOTHROW(check_recv(o));
  o.broadcast = true;
  o.sources = {"10.0.0.1"};
  CHECK_THROWS_AS(check_recv(o), nt::UsageError);
  RecvOptions s;
  s.senders = 2;
  CHECK_THROWS_AS(check_recv(s), nt::UsageError);
}

TEST_CASE("send --size bounds: the header to the largest UDP payload") {
  SendOptions o;
  o.size = 31;
  CHECK_THROWS_AS(check_send(o), nt::UsageError);
  o.size = 32;
  CHECK_NOTHROW(check_send(o));
  o.size = 65508;
  CHECK_THROWS_AS(check_send(o), nt::UsageError);
}

TEST_CASE("targets that are not groups are refused before anything is opened") {
  CHECK_THROWS_AS(resolve_group("10.0.0.1:5000", "", false), nt::UsageError);
  CHECK_THROWS_AS(resolve_group("239.1.1.1", "", false), nt::UsageError);
  CHECK_THROWS_AS(resolve_group("239.1.1.1:0", "", false), nt::UsageError);
  CHECK_THROWS_AS(resolve_group("example.com:5000", "", false), nt::UsageError);
  CHECK_THROWS_AS(resolve_group("[ff02::1]:5000", "", false), nt::UsageError);  // needs an interface
  CHECK_THROWS_AS(resolve_group("[ff02::1]:5000", "no-such-if0", false), nt::UsageError);
  CHECK_THROWS_AS(resolve_group("[ff02::1]:5000", "", true), nt::UsageError);  // broadcast is IPv4
}

TEST_CASE("--iface by name, index or address (the loopback interface every host has)") {
  const nt::net::Interface by_name = nt::net::parse_interface("lo");
  CHECK(by_name.index > 0);
  CHECK(nt::net::parse_interface(std::to_string(by_name.index)).name == "lo");
  CHECK(nt::net::parse_interface("127.0.0.1").name == "lo");
  CHECK_THROWS_AS(nt::net::parse_interface(""), nt::UsageError);
  CHECK_THROWS_AS(nt::net::parse_interface("0"), nt::UsageError);
  CHECK_THROWS_AS(nt::net::parse_interface("192.0.2.55"), nt::UsageError);
  CHECK_THROWS_AS(nt::net::parse_interface("a-name-longer-than-ifnamsiz"), nt::UsageError);
}

TEST_CASE("route lookup (rtnetlink): 127.0.0.1 leaves by the loopback interface") {
  const int index = nt::net::route_output_interface(ip("127.0.0.1"));
  REQUIRE(index > 0);
  CHECK(nt::net::interface_by_index(index)->name == "lo");
  CHECK(nt::net::route_output_interface(SocketAddress()) == -EAFNOSUPPORT);
}
