#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "subcommands/tcp_echo/pattern.hpp"

using namespace nt::tcp_echo;

namespace {
std::vector<std::byte> stream(const Pattern& p, uint64_t phase, uint64_t offset, std::size_t len) {
  std::vector<std::byte> out;
  while (out.size() < len) {
    auto c = p.chunk(phase, offset + out.size(), len - out.size());
    out.insert(out.end(), c.begin(), c.end());
  }
  return out;
}
}  // namespace

TEST_CASE("Pattern: a chunk is the stream at its offset, whatever the chunking") {
  Pattern p(42);
  auto whole = stream(p, 7, 0, 400000);
  for (uint64_t off : {0ull, 1ull, 65520ull, 65521ull, 131042ull, 200000ull, 299000ull}) {
    CAPTURE(off);
    auto c = p.chunk(7, off, 1000);
    REQUIRE(c.size() == 1000);
    CHECK(std::equal(c.begin(), c.end(), whole.begin() + static_cast<long>(off)));
    CHECK(p.at(7, off) == whole[off]);
  }
  CHECK(p.chunk(0, 0, Pattern::kMaxChunk * 2).size() == Pattern::kMaxChunk);
  // A whole maximal chunk is the stream too (its tail lies past the block's first repetition).
  auto big = p.chunk(7, 65520, Pattern::kMaxChunk);
  CHECK(std::equal(big.begin(), big.end(), whole.begin() + 65520));
}

TEST_CASE("Pattern::verify finds the first differing offset") {
  Pattern p(1);
  auto data = stream(p, 3, 1000, 600000);
  CHECK_FALSE(p.verify(3, 1000, data).has_value());
  data[400000] ^= std::byte{1};
  auto bad = p.verify(3, 1000, data);
  REQUIRE(bad.has_value());
  CHECK(*bad == 401000);
}

TEST_CASE("Pattern: other connections' phases and shifted streams do not verify") {
  Pattern p(9);
  auto data = stream(p, Pattern::phase_of(0), 0, 4096);
  CHECK(p.verify(Pattern::phase_of(1), 0, data).has_value());
  CHECK(p.verify(Pattern::phase_of(0), 1, data).has_value());
}

TEST_CASE("fill_random fills every byte, and differently each call") {
  uint64_t state = 5;
  std::vector<std::byte> a(13), b(13);
  fill_random(a, state);
  fill_random(b, state);
  CHECK(a != b);
  CHECK(std::count(a.begin(), a.end(), std::byte{0}) < 4);
}
