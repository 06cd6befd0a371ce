// The socket-option table: complete for what the code relies on, unique, and readable on real sockets.
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <array>
#include <set>
#include <string>

#include "net/socket_calls.hpp"
#include "net/sockopt.hpp"

using namespace nt;

TEST_CASE("sockopt table: names and (level, option) pairs are unique") {
  std::set<std::string_view> names;
  std::set<std::pair<int, int>> keys;
  for (const auto& o : net::socket_options()) {
    CHECK_MESSAGE(names.insert(o.name).second, o.name);
    CHECK_MESSAGE(keys.insert({o.level, o.option}).second, o.name);
    CHECK(o.families != 0);
    CHECK(o.types != 0);
    CHECK(o.access != 0);
  }
  CHECK(net::socket_options().size() > 200);
}

TEST_CASE("sockopt table: compile-time lookup, units, enum names and json keys") {
  constexpr const auto& rcvbuf = net::sockopt("SO_RCVBUF");
  static_assert(rcvbuf.level == SOL_SOCKET && rcvbuf.option == SO_RCVBUF);
  CHECK(net::json_key(rcvbuf) == "rcvbuf_bytes");
  CHECK(net::json_key(net::sockopt("TCP_KEEPIDLE")) == "keepidle_s");
  CHECK(net::json_key(net::sockopt("TCP_USER_TIMEOUT")) == "user_timeout_ms");
  CHECK(net::json_key(net::sockopt("SO_BUSY_POLL")) == "busy_poll_us");
  CHECK(net::json_key(net::sockopt("IPV6_MTU")) == "ipv6_mtu_bytes");
  CHECK(net::value_name(net::sockopt("IP_MTU_DISCOVER"), IP_PMTUDISC_WANT) == "want");
  CHECK(net::value_name(net::sockopt("SO_TYPE"), SOCK_DGRAM) == "dgram");
  CHECK(net::value_name(net::sockopt("SO_TYPE"), 99).empty());
  CHECK(net::find_socket_option("so_rcvbuf") == &rcvbuf);
  CHECK(net::find_socket_option("rcvbuf_bytes") == &rcvbuf);
  CHECK(net::find_socket_option(IPPROTO_TCP, TCP_NODELAY)->name == "TCP_NODELAY");
  CHECK(net::find_socket_option("SO_NOPE") == nullptr);
  CHECK(net::applies_to(net::sockopt("TCP_NODELAY"), AF_INET6, SOCK_STREAM));
  CHECK_FALSE(net::applies_to(net::sockopt("TCP_NODELAY"), AF_INET, SOCK_DGRAM));
  CHECK_FALSE(net::applies_to(net::sockopt("IPV6_V6ONLY"), AF_INET, SOCK_DGRAM));
}

TEST_CASE("sockopt table: every readable option of a fresh socket reads or is refused cleanly") {
  struct Kind {
    int family, type;
  };
  for (Kind k : {Kind{AF_INET, SOCK_STREAM}, Kind{AF_INET6, SOCK_DGRAM}, Kind{AF_UNIX, SOCK_STREAM}}) {
    net::UniqueFd fd = net::open_socket(k.family, k.type);
    net::SocketHandle s(fd);
    for (const auto& o : net::socket_options()) {
      if (!(o.access & net::kRead) || !net::applies_to(o, k.family, k.type)) continue;
      std::array<std::byte, 1024> buf{};
      socklen_t len = 0;
      const int rc = s.get_bytes(o, buf, len);
      CHECK_MESSAGE((rc == 0 ? len <= buf.size() : rc < 0), o.name);
    }
  }
}

TEST_CASE("socket handle: typed options round-trip") {
  net::UniqueFd fd = net::open_socket(AF_INET, SOCK_STREAM);
  net::SocketHandle s(fd);
  REQUIRE(s.set_int(net::sockopt("TCP_NODELAY"), 1) == 0);
  CHECK(net::get_option_or_throw(s, net::sockopt("TCP_NODELAY")) == 1);
  REQUIRE(s.set_timeval(net::sockopt("SO_RCVTIMEO"), std::chrono::milliseconds(1500)) == 0);
  std::chrono::microseconds tv{};
  REQUIRE(s.get_timeval(net::sockopt("SO_RCVTIMEO"), tv) == 0);
  CHECK(tv == std::chrono::milliseconds(1500));
  std::array<char, 32> name{};
  std::string_view cc;
  REQUIRE(s.get_string(net::sockopt("TCP_CONGESTION"), name, cc) == 0);
  CHECK(!cc.empty());
  CHECK(s.set_int(net::sockopt("IPV6_V6ONLY"), 1) < 0);  // an IPv4 socket refuses it
  CHECK_THROWS_AS(net::set_option_or_throw(s, net::sockopt("IPV6_V6ONLY"), 1), std::system_error);
}
