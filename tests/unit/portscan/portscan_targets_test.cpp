#include <doctest/doctest.h>
#include <netinet/in.h>

#include "subcommands/portscan/scope.hpp"
#include "subcommands/portscan/targets.hpp"
#include "sys/error.hpp"

using namespace nt::scan;

namespace {
std::vector<IpAddress> fake_resolver(const std::string& name, int) {
  if (name == "scanme.test") return {*IpAddress::parse("10.9.8.7"), *IpAddress::parse("fd00::7")};
  return {};
}
std::vector<TargetRange> parse(std::string_view s, int family = AF_UNSPEC) {
  return parse_target(s, family, fake_resolver);
}
std::string first(std::string_view s) {
  return parse(s).front().at(0).to_string();
}
}  // namespace

TEST_CASE("targets: literals, CIDR blocks, ranges, names") {
  CHECK(parse("10.0.0.1").front().count == 1);
  CHECK(first("10.0.0.1") == "10.0.0.1");
  CHECK(first("::1") == "::1");
  CHECK(first("[::1]") == "::1");
  auto block = parse("10.1.2.3/24").front();
  CHECK(block.count == 256);
  CHECK(block.at(0).to_string() == "10.1.2.0");
  CHECK(block.at(255).to_string() == "10.1.2.255");
  CHECK(parse("10.0.0.0/32").front().count == 1);
  CHECK(parse("0.0.0.0/0").front().count == (uint64_t{1} << 32));
  auto v6 = parse("fd00::1:0/120").front();
  CHECK(v6.count == 256);
  CHECK(v6.at(255).to_string() == "fd00::1:ff");
  auto range = parse("10.0.0.1-20").front();
  CHECK(range.count == 20);
  CHECK(range.at(19).to_string() == "10.0.0.20");
  CHECK(parse("10.0.0.250-10.0.1.4").front().count == 11);
  CHECK(parse("fd00::1-fd00::3").front().count == 3);
  CHECK(parse("[fd00::1]-[fd00::3]").front().count == 3);  // brackets on each end, as in URLs
  // What CLI11 passes on for a command-line "[fd00::1]-[fd00::3]" (its own list syntax strips them).
  auto stripped = parse("fd00::1]-[fd00::3").front();
  CHECK(stripped.count == 3);
  CHECK(stripped.label == "[fd00::1]-[fd00::3]");
  CHECK(first("scanme.test") == "10.9.8.7");
  CHECK(parse("scanme.test").front().label == "scanme.test");
}

TEST_CASE("targets: malformed specs are usage errors naming the input") {
  for (const char* bad :
       {"10.0.0.0/33", "::/129", "fd00::/64", "10.0.0.0/-1", "10.0.0.0/x", "10.0.0.5-1", "10.0.0.1-256",
        "10.0.0.1-::1", "1.2.3", "-6", "host..name", "", "unknown.test", "10.0.0.0/"}) {
    CAPTURE(bad);
    try {
      parse(bad);
      FAIL("accepted");
    } catch (const nt::UsageError& e) {
      CHECK(std::string(e.what()).find(std::string("'") + bad + "'") != std::string::npos);
    }
  }
}

TEST_CASE("targets: -4/-6 reject literals of the other family") {
  CHECK_THROWS_AS(parse("::1", AF_INET), nt::UsageError);
  CHECK_THROWS_AS(parse("10.0.0.1", AF_INET6), nt::UsageError);
  CHECK(parse("10.0.0.1", AF_INET).size() == 1);
}

TEST_CASE("targets: exclusion splits ranges; the set indexes across ranges") {
  auto ranges = parse("10.0.0.0/28");
  auto more = parse("::1");
  ranges.insert(ranges.end(), more.begin(), more.end());
  auto left = subtract(ranges, parse_numeric_target("10.0.0.4-7"));
  TargetSet set(left);
  CHECK(set.size() == 13);
  CHECK(set.at(3).to_string() == "10.0.0.3");
  CHECK(set.at(4).to_string() == "10.0.0.8");
  CHECK(set.at(11).to_string() == "10.0.0.15");
  CHECK(set.at(12).to_string() == "::1");
  CHECK(set.range_of(12) == 2);
  CHECK(TargetSet(subtract(parse("10.0.0.0/30"), parse_numeric_target("10.0.0.0/24"))).size() == 0);
  CHECK_THROWS_AS(parse_numeric_target("example.org"), nt::UsageError);
}

TEST_CASE("scope: special-purpose ranges and the cap on addresses beyond local ranges") {
  using nt::scan::check_reach, nt::scan::count_beyond_local, nt::scan::parse_numeric_target;
  const auto everything = parse_numeric_target("0.0.0.0/0");
  const auto kept = nt::scan::without_special_purpose(everything);
  // 2^32 minus 0/8, three /24 documentation blocks and 224/3.
  uint64_t total = 0;
  for (const auto& r : kept) total += r.count;
  CHECK(total == (uint64_t{1} << 32) - (uint64_t{1} << 24) - 3 * 256 - (uint64_t{1} << 29));
  CHECK(count_beyond_local(parse_numeric_target("127.0.0.0/8")) == 0);
  CHECK(count_beyond_local(parse_numeric_target("10.0.0.0/8")) == 0);
  CHECK(count_beyond_local(parse_numeric_target("fd00::/104")) == 0);
  CHECK(count_beyond_local(parse_numeric_target("8.8.0.0/16")) == 65536);
  CHECK_NOTHROW(check_reach(parse_numeric_target("8.8.0.0/16"), 65536));
  CHECK_THROWS_WITH_AS(check_reach(parse_numeric_target("8.8.0.0/15"), 65536),
                       doctest::Contains("131072 target addresses outside loopback and private ranges"),
                       nt::UsageError);
  CHECK_NOTHROW(check_reach(parse_numeric_target("8.8.0.0/15"), 131072));
  CHECK(nt::scan::without_special_purpose(parse_numeric_target("224.0.0.1")).empty());
  CHECK(nt::scan::without_special_purpose(parse_numeric_target("2001:db8::/96")).empty());
  CHECK(nt::scan::without_special_purpose(parse_numeric_target("ff02::1")).empty());
  CHECK(nt::scan::without_special_purpose(parse_numeric_target("fd00::/120")).size() == 1);
}
