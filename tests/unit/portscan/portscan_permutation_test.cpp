#include <doctest/doctest.h>

#include <vector>

#include "subcommands/portscan/permutation.hpp"
#include "sys/error.hpp"

using namespace nt::scan;

TEST_CASE("permutation: a bijection on [0, n) for awkward sizes, seed-dependent") {
  for (uint64_t n : {1ULL, 2ULL, 3ULL, 5ULL, 17ULL, 255ULL, 256ULL, 1000ULL, 65535ULL, 65536ULL * 3 + 1}) {
    CAPTURE(n);
    Permutation perm(n, 42);
    std::vector<bool> seen(n, false);
    for (uint64_t i = 0; i < n; ++i) {
      const uint64_t v = perm.at(i);
      REQUIRE(v < n);
      REQUIRE(!seen[v]);
      seen[v] = true;
    }
  }
  Permutation a(65535, 1), b(65535, 2), a2(65535, 1);
  int same = 0;
  for (uint64_t i = 0; i < 1000; ++i) {
    same += a.at(i) == b.at(i);
    CHECK(a.at(i) == a2.at(i));
  }
  CHECK(same < 10);
}

TEST_CASE("permutation: scatters neighbours") {
  Permutation perm(65535, 7);
  int adjacent = 0;
  for (uint64_t i = 0; i + 1 < 1000; ++i) adjacent += (perm.at(i + 1) == perm.at(i) + 1);
  CHECK(adjacent < 5);
}

TEST_CASE("shards: disjoint and covering for every K of N") {
  const uint64_t n = 10007;
  Permutation perm(n, 99);
  for (uint64_t count : {1ULL, 2ULL, 3ULL, 4ULL, 7ULL}) {
    std::vector<int> hits(n, 0);
    uint64_t total = 0;
    for (uint64_t k = 1; k <= count; ++k) {
      Shard s{k, count};
      total += s.size_of(n);
      for (uint64_t i = 0; i < s.size_of(n); ++i) ++hits[perm.at(s.position(i))];
    }
    CHECK(total == n);
    for (uint64_t v = 0; v < n; ++v) REQUIRE(hits[v] == 1);
  }
  CHECK(Shard{5, 8}.size_of(3) == 0);
}

TEST_CASE("shards: parsing") {
  auto s = parse_shard("2/4");
  CHECK(s.index == 2);
  CHECK(s.count == 4);
  for (const char* bad : {"0/4", "5/4", "1/0", "1", "a/b", "1/", "/2", "-1/2"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(parse_shard(bad), nt::UsageError);
  }
}
