#include <doctest/doctest.h>

#include <set>

#include "subcommands/portscan/ports.hpp"
#include "sys/error.hpp"

using nt::scan::parse_port_list;

TEST_CASE("port lists: valid forms") {
  CHECK(parse_port_list("22") == std::vector<uint16_t>{22});
  CHECK(parse_port_list("80,22,80") == std::vector<uint16_t>{22, 80});
  CHECK(parse_port_list("8000-8003,1") == std::vector<uint16_t>{1, 8000, 8001, 8002, 8003});
  CHECK(parse_port_list("-").size() == 65535);
  CHECK(parse_port_list("1-65535").size() == 65535);
  CHECK(parse_port_list("-3") == std::vector<uint16_t>{1, 2, 3});
  CHECK(parse_port_list("65534-") == std::vector<uint16_t>{65534, 65535});
  CHECK(parse_port_list("5-5") == std::vector<uint16_t>{5});
}

TEST_CASE("port lists: malformed input names the problem") {
  struct Case {
    const char* spec;
    const char* needle;
  };
  for (auto c : {Case{"0", "port 0"}, Case{"70000", "above 65535"}, Case{"5-1", "ends below"},
                 Case{"", "empty"}, Case{"22,,80", "empty item"}, Case{"http", "not a number"},
                 Case{"1-99999999999999999999", "above 65535"}, Case{"22,", "empty item"},
                 Case{"-0", "port 0"}, Case{"1-2-3", "not a number"}, Case{"10--1", "not a number"},
                 Case{"--100", "not a number"}, Case{"+5", "not a number"}, Case{"1-+5", "not a number"}}) {
    CAPTURE(c.spec);
    try {
      parse_port_list(c.spec);
      FAIL("accepted");
    } catch (const nt::UsageError& e) {
      const std::string what = e.what();
      CHECK(what.find(c.needle) != std::string::npos);
      CHECK(what.find("invalid port list") != std::string::npos);
    }
  }
}

TEST_CASE("top ports: ranked, distinct, sorted on output") {
  const auto ranking = nt::scan::top_tcp_ports();
  REQUIRE(ranking.size() == 1000);
  CHECK(ranking[0] == 80);
  CHECK(std::set<uint16_t>(ranking.begin(), ranking.end()).size() == ranking.size());
  CHECK(std::set<uint16_t>(nt::scan::top_udp_ports().begin(), nt::scan::top_udp_ports().end()).size() ==
        1000);
  const auto top3 = nt::scan::top_ports(ranking, 3);
  CHECK(top3 == std::vector<uint16_t>{23, 80, 443});
  CHECK_THROWS_AS(nt::scan::top_ports(ranking, 0), nt::UsageError);
  CHECK_THROWS_AS(nt::scan::top_ports(ranking, 1001), nt::UsageError);
}

TEST_CASE("port ranges: sorted, overlapping and adjacent ranges merged, gaps kept") {
  using nt::scan::parse_port_ranges;
  auto pairs = [](std::string_view spec) {
    std::vector<std::pair<int, int>> out;
    for (auto r : parse_port_ranges(spec)) out.emplace_back(r.first, r.last);
    return out;
  };
  CHECK(pairs("80,22") == std::vector<std::pair<int, int>>{{22, 22}, {80, 80}});
  CHECK(pairs("10-20,15-30,31,40") == std::vector<std::pair<int, int>>{{10, 31}, {40, 40}});
  CHECK(pairs("-,5") == std::vector<std::pair<int, int>>{{1, 65535}});
  CHECK(pairs("65535,65534-") == std::vector<std::pair<int, int>>{{65534, 65535}});
  CHECK_THROWS_AS(parse_port_ranges("10--1"), nt::UsageError);
}
