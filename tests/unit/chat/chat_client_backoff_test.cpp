#include <doctest/doctest.h>

#include <chrono>

#include "subcommands/chat/client_backoff.hpp"

using namespace nt::chat;
using namespace std::chrono_literals;

TEST_CASE("backoff doubles from the base up to the cap, half fixed and half jitter") {
  BackoffPolicy p{500ms, 30s};
  // u = 0: the fixed half of each ceiling; u → 1: the whole ceiling.
  CHECK(backoff_delay(p, 0, 0.0) == 250ms);
  CHECK(backoff_delay(p, 1, 0.0) == 500ms);
  CHECK(backoff_delay(p, 2, 0.0) == 1000ms);
  CHECK(backoff_delay(p, 5, 0.0) == 8000ms);
  CHECK(backoff_delay(p, 6, 0.0) == 15s);  // 32 s capped to 30 s
  CHECK(backoff_delay(p, 0, 0.5) == 375ms);
  CHECK(backoff_delay(p, 2, 1.0) == 2000ms);
  CHECK(backoff_delay(p, 6, 1.0) == 30s);
}

TEST_CASE("backoff stays at the cap however long the outage, and clamps u") {
  BackoffPolicy p{500ms, 30s};
  CHECK(backoff_delay(p, 1000, 0.0) == 15s);
  CHECK(backoff_delay(p, 1'000'000, 1.0) == 30s);
  CHECK(backoff_delay(p, 0, -3.0) == 250ms);
  CHECK(backoff_delay(p, 0, 7.0) == 500ms);
}

TEST_CASE("Backoff::next walks the schedule inside its bounds and reset starts over") {
  Backoff b(BackoffPolicy{100ms, 1s});
  auto ceilings = {100ms, 200ms, 400ms, 800ms, 1000ms, 1000ms};
  for (auto ceiling : ceilings) {
    auto d = b.next();
    CHECK(d >= std::chrono::nanoseconds(ceiling) / 2);
    CHECK(d <= std::chrono::nanoseconds(ceiling));
  }
  CHECK(b.attempt() == 6);
  b.reset();
  CHECK(b.attempt() == 0);
  CHECK(b.next() <= 100ms);
}
