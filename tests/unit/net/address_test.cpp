// Address parsing and formatting: the table of what users type, valid and malformed.
#include <doctest/doctest.h>

#include <string>

#include "net/address.hpp"
#include "net/endpoint.hpp"
#include "net/resolver.hpp"
#include "sys/error.hpp"

using nt::net::Endpoint;
using nt::net::parse_endpoint;
using nt::net::SocketAddress;

TEST_CASE("parse_endpoint accepts the forms users type") {
  struct Row {
    const char* text;
    Endpoint::Kind kind;
    const char* host;
    uint16_t port;
  };
  const Row rows[] = {
      {"127.0.0.1:7", Endpoint::Kind::inet, "127.0.0.1", 7},
      {"localhost:65535", Endpoint::Kind::inet, "localhost", 65535},
      {"[::1]:8080", Endpoint::Kind::inet, "::1", 8080},
      {"[fe80::1%lo]:22", Endpoint::Kind::inet, "fe80::1%lo", 22},
      {"example.org.:0", Endpoint::Kind::inet, "example.org.", 0},
      {"unix:/tmp/echo.sock", Endpoint::Kind::unix_path, "/tmp/echo.sock", 0},
      {"@nettool-test", Endpoint::Kind::abstract, "nettool-test", 0},
  };
  for (const auto& row : rows) {
    CAPTURE(row.text);
    Endpoint ep = parse_endpoint(row.text);
    CHECK(ep.kind == row.kind);
    CHECK(ep.host == row.host);
    CHECK(ep.port == row.port);
  }
}

TEST_CASE("parse_endpoint rules: empty host, port only, default port") {
  nt::net::EndpointRules listen;
  listen.allow_empty_host = true;
  listen.allow_port_only = true;
  CHECK(parse_endpoint(":9000", listen).host.empty());
  CHECK(parse_endpoint("9000", listen).port == 9000);
  nt::net::EndpointRules client;
  client.require_port = false;
  client.default_port = 123;
  CHECK(parse_endpoint("ntp.example", client).port == 123);
  CHECK(parse_endpoint("::1", client).host == "::1");
}

TEST_CASE("parse_endpoint rejects malformed input naming input and problem") {
  struct Row {
    const char* text;
    const char* problem;
  };
  const Row rows[] = {
      {"", "empty"},
      {"host:70000", "out of range"},
      {"host:-1", "not a number"},
      {"host:", "empty port"},
      {"1.2.3:80", "not a valid IPv4 address"},
      {"256.1.1.1:80", "not a valid IPv4 address"},
      {"[::1", "missing ']'"},
      {"[::1]x", "expected ':PORT'"},
      {"[]:80", "empty IPv6"},
      {"[1.2.3.4]:80", "not a valid IPv6"},
      {":80", "empty host"},
      {"localhost", "missing port"},
      {"bad host:80", "not allowed"},
      {"a..b:80", "empty label"},
      {"unix:", "empty unix socket path"},
      {"@", "empty abstract"},
      {"gg::1", "not a valid IPv6"},
  };
  for (const auto& row : rows) {
    CAPTURE(row.text);
    try {
      parse_endpoint(row.text);
      FAIL("accepted");
    } catch (const nt::UsageError& e) {
      std::string msg = e.what();
      CHECK(msg.find(std::string("'") + row.text + "'") != std::string::npos);
      CHECK(msg.find(row.problem) != std::string::npos);
    }
  }
}

TEST_CASE("an IPv6 zone that is no interface and no index is a usage error") {
  CHECK(SocketAddress::from_ip("fe80::1%1")->to_string().starts_with("[fe80::1%"));
  for (const char* zone :
       {"fe80::1%no-such-if0", "fe80::1%99999999999999999999", "fe80::1%0", "fe80::1%2x"}) {
    CAPTURE(zone);
    CHECK_THROWS_WITH_AS(SocketAddress::from_ip(zone), doctest::Contains("no interface"), nt::UsageError);
  }
}

TEST_CASE("unix path longer than sun_path is refused") {
  std::string long_path = "unix:/" + std::string(200, 'x');
  CHECK_THROWS_AS(parse_endpoint(long_path), nt::UsageError);
}

TEST_CASE("parse_port boundaries") {
  CHECK(nt::net::parse_port("0") == 0);
  CHECK(nt::net::parse_port("65535") == 65535);
  CHECK_THROWS_AS(nt::net::parse_port("65536"), nt::UsageError);
  CHECK_THROWS_AS(nt::net::parse_port("0x10"), nt::UsageError);
  CHECK_THROWS_AS(nt::net::parse_port("999999999999"), nt::UsageError);
  CHECK_THROWS_AS(nt::net::parse_port(""), nt::UsageError);
}

TEST_CASE("SocketAddress formats each family") {
  CHECK(SocketAddress::from_ip("192.0.2.1", 80)->to_string() == "192.0.2.1:80");
  CHECK(SocketAddress::from_ip("::1", 80)->to_string() == "[::1]:80");
  CHECK(SocketAddress::from_ip("::ffff:10.0.0.1", 5)->to_string() == "10.0.0.1:5");
  CHECK(SocketAddress::from_ip("fe80::1%lo", 5)->to_string() == "[fe80::1%lo]:5");
  CHECK(SocketAddress::unix_path("/run/x.sock").to_string() == "unix:/run/x.sock");
  CHECK(SocketAddress::abstract("name").to_string() == "@name");
  CHECK(fmt::format("{}", *SocketAddress::from_ip("10.1.2.3", 9)) == "10.1.2.3:9");
  CHECK_FALSE(SocketAddress::from_ip("1.2.3"));
  CHECK_FALSE(SocketAddress::from_ip("host"));
}

TEST_CASE("SocketAddress properties") {
  CHECK(SocketAddress::from_ip("127.5.6.7")->is_loopback());
  CHECK(SocketAddress::from_ip("::1")->is_loopback());
  CHECK_FALSE(SocketAddress::from_ip("10.0.0.1")->is_loopback());
  CHECK(SocketAddress::abstract("a").is_abstract());
  CHECK_FALSE(SocketAddress::unix_path("/a").is_abstract());
  auto a = *SocketAddress::from_ip("::", 1);
  a.set_port(4242);
  CHECK(a.port() == 4242);
  CHECK(*SocketAddress::from_ip("10.0.0.1", 1) == *SocketAddress::from_ip("10.0.0.1", 1));
}

TEST_CASE("resolve: literals skip DNS, family mismatch is a usage error") {
  auto addrs = nt::net::resolve(parse_endpoint("127.0.0.1:5"));
  REQUIRE(addrs.size() == 1);
  CHECK(addrs[0].to_string() == "127.0.0.1:5");
  nt::net::ResolveOptions v6only;
  v6only.family = AF_INET6;
  CHECK_THROWS_AS(nt::net::resolve(parse_endpoint("127.0.0.1:5"), v6only), nt::UsageError);
  CHECK(nt::net::resolve(parse_endpoint("unix:/tmp/s"))[0].is_unix());
}

TEST_CASE("valid_host: an IPv6 scope naming no interface is invalid, not an exception (found by fuzz-endpoint)") {
  std::string problem;
  CHECK_FALSE(nt::net::valid_host("::1%lo-:t", &problem));
  CHECK(problem.find("no interface") != std::string::npos);
}
