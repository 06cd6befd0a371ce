// Per-source token buckets in a bounded table.
#include <doctest/doctest.h>

#include "net/source_rate_limiter.hpp"

using namespace nt::net;

namespace {
constexpr int64_t kMs = 1'000'000;
SourceKey v4(uint32_t host_order) {
  return source_key_v4(__builtin_bswap32(host_order));
}
}  // namespace

TEST_CASE("Disabled limiter allows everything and holds no table") {
  RateLimiter rl({0, 1, 1024, 1000 * kMs});
  CHECK_FALSE(rl.enabled());
  for (int i = 0; i < 1000; ++i) CHECK(rl.admit(v4(0x7f000001), 0) == Admission::allow);
  CHECK(rl.capacity() == 0);
}

TEST_CASE("A burst is allowed, then one KoD, then drops until tokens refill") {
  RateLimiter rl({2.0, 4.0, 64, 1000 * kMs});
  SourceKey a = v4(0x7f000001);
  for (int i = 0; i < 4; ++i) CHECK(rl.admit(a, 0) == Admission::allow);
  CHECK(rl.admit(a, 0) == Admission::limit_kod);
  CHECK(rl.admit(a, 1 * kMs) == Admission::limit_drop);
  CHECK(rl.admit(a, 2 * kMs) == Admission::limit_drop);
  // 2 tokens/s: after 600 ms 1.2 tokens are back.
  CHECK(rl.admit(a, 600 * kMs) == Admission::allow);
  CHECK(rl.admit(a, 601 * kMs) == Admission::limit_drop);  // KoD interval (1 s) not over yet
  CHECK(rl.admit(a, 1001 * kMs) == Admission::allow);      // 0.2 + 0.8 ≥ 1 token again
  CHECK(rl.admit(a, 1002 * kMs) == Admission::limit_kod);  // and a new KoD is allowed
}

TEST_CASE("Sources are independent; v4 and v4-mapped v6 share a bucket") {
  RateLimiter rl({1.0, 1.0, 64, 1000 * kMs});
  CHECK(rl.admit(v4(0x7f000001), 0) == Admission::allow);
  CHECK(rl.admit(v4(0x7f000001), 0) == Admission::limit_kod);
  CHECK(rl.admit(v4(0x7f000002), 0) == Admission::allow);
  uint8_t mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1};
  CHECK(source_key_v6(mapped) == v4(0x7f000001));
  CHECK(rl.admit(source_key_v6(mapped), 0) == Admission::limit_drop);
}

TEST_CASE("The table never grows past its capacity; old sources are evicted") {
  RateLimiter rl({1.0, 1.0, 256, 1000 * kMs});
  CHECK(rl.capacity() == 256);
  for (uint32_t i = 0; i < 100000; ++i) rl.admit(v4(0x0a000000 + i), static_cast<int64_t>(i));
  CHECK(rl.tracked() <= 256);
  CHECK(rl.evictions() >= 100000 - 256);
  // A heavy source that keeps sending stays tracked (it is always the most recent in its set).
  SourceKey heavy = v4(0xc0a80001);
  CHECK(rl.admit(heavy, 200000) == Admission::allow);
  int limited = 0;
  for (uint32_t i = 0; i < 1000; ++i) {
    rl.admit(v4(0x0b000000 + i), 200001 + 2 * i);
    if (rl.admit(heavy, 200002 + 2 * i) != Admission::allow) ++limited;
  }
  CHECK(limited == 1000);
}
