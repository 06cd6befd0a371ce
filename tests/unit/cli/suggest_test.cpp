#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cli/suggest.hpp"

TEST_CASE("edit distance") {
  CHECK(nt::cli::edit_distance("", "") == 0);
  CHECK(nt::cli::edit_distance("ping", "ping") == 0);
  CHECK(nt::cli::edit_distance("pnig", "ping") == 2);
  CHECK(nt::cli::edit_distance("kitten", "sitting") == 3);
  CHECK(nt::cli::edit_distance("", "abc") == 3);
}

TEST_CASE("closest match suggests plausible typos only") {
  std::vector<std::string> names{"ping", "portscan", "tcp-echo", "udp-time"};
  CHECK(nt::cli::closest_match("pnig", names) == "ping");
  CHECK(nt::cli::closest_match("portscna", names) == "portscan");
  CHECK(nt::cli::closest_match("tcpecho", names) == "tcp-echo");
  CHECK(nt::cli::closest_match("zzzzzzzz", names).empty());
  std::vector<std::string> options{"--count", "--interval", "--size"};
  CHECK(nt::cli::closest_match("--cuont", options) == "--count");
}
