// The one address model: IpAddress conversions and the literal / CIDR / range parser, table-driven
// over valid and malformed inputs (each refusal names the input), and the target-file reader.
#include <doctest/doctest.h>
#include <netinet/in.h>

#include <cstdint>
#include <sstream>
#include <string>

#include "net/ip_address.hpp"
#include "net/ip_range.hpp"
#include "net/target_file.hpp"
#include "sys/error.hpp"

using namespace nt::net;

namespace {
constexpr uint64_t k2to32 = uint64_t{1} << 32;

struct Valid {
  const char* spec;
  int family;
  const char* first;
  uint64_t count;
  const char* last;
};
}  // namespace

TEST_CASE("IpAddress: parse, numbers, v4-mapped, bytes, socket addresses") {
  auto a = IpAddress::parse("10.1.2.3");
  REQUIRE(a);
  CHECK(a->family == AF_INET);
  CHECK(a->number() == 0x0a010203u);
  CHECK(IpAddress::v4(0x0a010203u) == *a);
  CHECK(IpAddress::from_number(AF_INET6, 1).to_string() == "::1");
  CHECK_FALSE(IpAddress::parse("fe80::1%eth0"));
  CHECK_FALSE(IpAddress::parse("1.2.3"));
  auto mapped = SocketAddress::from_ip("::ffff:10.1.2.3", 7);
  REQUIRE(mapped);
  CHECK(IpAddress::from_socket(*mapped) == *a);  // one host, one key
  CHECK(IpAddress::from_bytes(AF_INET, a->view()) == *a);
  CHECK(a->socket_address(80).to_string() == "10.1.2.3:80");
  CHECK(IpAddressHash{}(*a) == IpAddressHash{}(IpAddress::from_socket(*mapped)));
  CHECK(IpAddress{}.family == 0);
}

TEST_CASE("ranges: literals, CIDR blocks and spans, v4 and v6") {
  const Valid cases[] = {
      {"10.0.0.1", AF_INET, "10.0.0.1", 1, "10.0.0.1"},
      {"[::1]", AF_INET6, "::1", 1, "::1"},
      {"10.1.2.3/24", AF_INET, "10.1.2.0", 256, "10.1.2.255"},
      {"10.0.0.7/32", AF_INET, "10.0.0.7", 1, "10.0.0.7"},
      {"0.0.0.0/0", AF_INET, "0.0.0.0", k2to32, "255.255.255.255"},
      {"fd00::1:0/120", AF_INET6, "fd00::1:0", 256, "fd00::1:ff"},
      {"fd00::/96", AF_INET6, "fd00::", k2to32, "fd00::ffff:ffff"},
      {"10.0.0.1-20", AF_INET, "10.0.0.1", 20, "10.0.0.20"},
      {"10.0.0.250-10.0.1.4", AF_INET, "10.0.0.250", 11, "10.0.1.4"},
      {"fd00::1-fd00::3", AF_INET6, "fd00::1", 3, "fd00::3"},
      {"[fd00::1]-[fd00::3]", AF_INET6, "fd00::1", 3, "fd00::3"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.spec);
    const auto r = parse_ip_range(c.spec, k2to32, "target");
    CHECK(r.family == c.family);
    CHECK(r.count == c.count);
    CHECK(r.at(0).to_string() == c.first);
    CHECK(r.at(r.count - 1).to_string() == c.last);
  }
  CHECK(parse_ip_range("10.0.0.0/30", 4, "x").prefix == 30);
  CHECK(parse_ip_range("10.0.0.1-2", 4, "x").prefix == -1);
}

TEST_CASE("ranges: malformed and oversized inputs are refused naming the input and the problem") {
  const std::pair<const char*, const char*> cases[] = {
      {"10.0.0.0/33", "prefix length must be 0..32"},
      {"::/129", "prefix length must be 0..128"},
      {"10.0.0.0/-1", "prefix length"},
      {"10.0.0.0/x", "prefix length"},
      {"10.0.0.0/", "prefix length"},
      {"host/24", "numeric address before '/'"},
      {"10.0.0.5-1", "below its start"},
      {"10.0.0.1-256", "last octet 0..255"},
      {"10.0.0.1-::1", "one family"},
      {"1.2.3", "not an address"},
      {"", "empty"},
      {"::/0", "more than 2^32 addresses"},
      {"::/64", "more than 2^32 addresses"},
      {"fd00::/95", "more than 2^32 addresses"},
      {"::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "more than 2^32 addresses"},  // 2^128 wraps to 0
      {"::1-8000::", "more than 2^32 addresses"},
  };
  for (const auto& [spec, problem] : cases) {
    CAPTURE(spec);
    try {
      parse_ip_range(spec, k2to32, "target");
      FAIL("accepted");
    } catch (const nt::UsageError& e) {
      const std::string what = e.what();
      CHECK(what.find(std::string("invalid target '") + spec + "'") != std::string::npos);
      CHECK(what.find(problem) != std::string::npos);
    }
  }
  CHECK_THROWS_WITH_AS(parse_ip_range("10.0.0.0/15", 65536, "CIDR block"),
                       "invalid CIDR block '10.0.0.0/15': more than 65536 addresses", nt::UsageError);
  CHECK(parse_ip_range("10.0.0.0/16", 65536, "CIDR block").count == 65536);
}

TEST_CASE("ranges: what counts as numeric (a name may contain '-')") {
  CHECK(looks_numeric("10.0.0.1"));
  CHECK(looks_numeric("10.0.0.0/8"));
  CHECK(looks_numeric("10.0.0.1-5"));
  CHECK(looks_numeric("[::1]"));
  CHECK_FALSE(looks_numeric("my-host"));
  CHECK_FALSE(looks_numeric("example.org"));
  CHECK(describe_limit(uint64_t{1} << 32) == "2^32");
  CHECK(describe_limit(65536) == "65536");
}

TEST_CASE("target files: comments, blanks and CRLF dropped; a missing file names itself") {
  std::istringstream in("127.0.0.1\n\n  # a comment\n::1  # trailing\r\n\t127.0.0.0/30\n");
  auto lines = read_target_lines(in);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "127.0.0.1");
  CHECK(lines[1] == "::1");
  CHECK(lines[2] == "127.0.0.0/30");
  CHECK_THROWS_WITH_AS(read_target_file("/nonexistent/targets"),
                       doctest::Contains("invalid --file '/nonexistent/targets': cannot read it"),
                       nt::UsageError);
}

TEST_CASE("target files are bounded: line length, NUL bytes, total size, target count, directories") {
  const TargetFileLimits small{16, 64, 3};
  std::istringstream long_line(std::string(100, 'a'));
  CHECK_THROWS_WITH_AS(read_target_lines(long_line, "--file 'x'", small),
                       "invalid target list --file 'x': line 1 is longer than 16 bytes", nt::UsageError);
  std::istringstream zeros(std::string(8, '\0'));
  CHECK_THROWS_WITH_AS(read_target_lines(zeros, "standard input", small),
                       doctest::Contains("line 1 holds a NUL byte"), nt::UsageError);
  std::istringstream big(std::string(40, '\n') + std::string(40, '\n'));
  CHECK_THROWS_WITH_AS(read_target_lines(big, "standard input", small),
                       doctest::Contains("larger than 64 bytes"), nt::UsageError);
  std::istringstream many("a\nb\nc\nd\ne\n");
  CHECK_THROWS_WITH_AS(read_target_lines(many, "standard input", small),
                       "invalid target list standard input: 5 targets, at most 3 per list", nt::UsageError);
  std::istringstream three("a\n# b\nc\nd");  // no final newline: the last line still counts
  CHECK(read_target_lines(three, "standard input", small).size() == 3);
  CHECK_THROWS_WITH_AS(read_target_file("/tmp"), "invalid --file '/tmp': is a directory", nt::UsageError);
  CHECK_THROWS_WITH_AS(read_target_file("/dev/zero"), doctest::Contains("holds a NUL byte"), nt::UsageError);
}
