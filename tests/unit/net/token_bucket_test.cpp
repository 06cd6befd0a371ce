// The token bucket that caps a send rate (portscan's --rate).
#include <doctest/doctest.h>

#include <chrono>

#include "net/token_bucket.hpp"

using nt::net::TokenBucket;
using Clock = std::chrono::steady_clock;

TEST_CASE("token bucket: caps the rate; unlimited passes") {
  using namespace std::chrono;
  TokenBucket bucket(1000);  // burst 10
  const auto t0 = Clock::time_point{} + seconds(100);
  int taken = 0;
  for (int i = 0; i < 100; ++i) taken += bucket.try_take(t0);
  CHECK(taken == 1);
  taken = 0;
  for (int ms = 1; ms <= 1000; ++ms)
    while (bucket.try_take(t0 + milliseconds(ms))) ++taken;
  CHECK(taken >= 999);
  CHECK(taken <= 1001);
  CHECK(bucket.wait(t0 + milliseconds(1000)).count() > 0);
  CHECK(TokenBucket(0).try_take(t0));
}

TEST_CASE("token bucket: fill starts with a full burst, then the rate holds") {
  using namespace std::chrono;
  TokenBucket bucket(10, 5);
  const auto t0 = Clock::time_point{} + seconds(100);
  bucket.fill(t0);
  int taken = 0;
  for (int i = 0; i < 100; ++i) taken += bucket.try_take(t0);
  CHECK(taken == 5);
  CHECK_FALSE(bucket.try_take(t0 + milliseconds(50)));
  CHECK(bucket.try_take(t0 + milliseconds(100)));
}
