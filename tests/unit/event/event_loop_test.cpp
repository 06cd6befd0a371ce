#include <doctest/doctest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <vector>

#include "event/loop.hpp"
#include "net/fd.hpp"
#include "sys/signals.hpp"

using namespace std::chrono_literals;
using nt::event::EventLoop;

TEST_CASE("timers fire in deadline order and the loop ends when nothing is left") {
  EventLoop loop(false);
  std::vector<int> order;
  // Absolute deadlines from one base, so a descheduled test process cannot reorder them.
  auto start = EventLoop::now();
  loop.add_timer(start + 30ms, [&] { order.push_back(3); });
  loop.add_timer(start + 10ms, [&] { order.push_back(1); });
  loop.add_timer(start + 20ms, [&] { order.push_back(2); });
  loop.run();
  CHECK(order == std::vector<int>{1, 2, 3});
  CHECK(EventLoop::now() - start >= 30ms);
}

TEST_CASE("cancelled timers never fire; timers may schedule timers") {
  EventLoop loop(false);
  int fired = 0;
  auto id = loop.add_timer(5ms, [&] { fired += 100; });
  loop.cancel_timer(id);
  loop.add_timer(1ms, [&] { loop.add_timer(1ms, [&] { ++fired; }); });
  loop.run();
  CHECK(fired == 1);
}

TEST_CASE("fd readiness and removal from inside a callback") {
  int pair[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, pair) == 0);
  nt::net::UniqueFd a(pair[0]), b(pair[1]);
  EventLoop loop(false);
  int reads = 0;
  loop.add(a.get(), EPOLLIN, [&](uint32_t) {
    char buf[16];
    CHECK(::read(a.get(), buf, sizeof buf) == 5);
    ++reads;
    loop.remove(a.get());
  });
  CHECK(loop.watching(a.get()));
  REQUIRE(::write(b.get(), "hello", 5) == 5);
  loop.run();
  CHECK(reads == 1);
  CHECK_FALSE(loop.watching(a.get()));
}

TEST_CASE("a parked fd is not reported; unparked, its pending readiness is") {
  int pair[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, pair) == 0);
  nt::net::UniqueFd a(pair[0]), b(pair[1]);
  EventLoop loop(false);
  int calls = 0;
  loop.add(a.get(), EPOLLIN, [&](uint32_t) { ++calls; });
  loop.park(a.get());
  loop.park(a.get());  // twice is harmless
  REQUIRE(::write(b.get(), "x", 1) == 1);
  loop.modify(a.get(), EPOLLIN | EPOLLOUT);  // remembered, applied on unpark
  loop.run_once(0ms);
  CHECK(calls == 0);
  CHECK(loop.watching(a.get()));
  loop.unpark(a.get());
  loop.run_once(0ms);
  CHECK(calls == 1);
  loop.park(a.get());
  loop.remove(a.get());  // removing a parked fd works too
  CHECK_FALSE(loop.watching(a.get()));
}

TEST_CASE("stop ends run even with fds registered") {
  int pair[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == 0);
  nt::net::UniqueFd a(pair[0]), b(pair[1]);
  EventLoop loop(false);
  loop.add(a.get(), EPOLLIN, [](uint32_t) {});
  loop.add_timer(2ms, [&] { loop.stop(); });
  loop.run();
  CHECK(loop.stopped());
}

TEST_CASE("adding the same fd twice throws") {
  int pair[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == 0);
  nt::net::UniqueFd a(pair[0]), b(pair[1]);
  EventLoop loop(false);
  loop.add(a.get(), EPOLLIN, [](uint32_t) {});
  CHECK_THROWS(loop.add(a.get(), EPOLLIN, [](uint32_t) {}));
}

TEST_CASE("sleep_unless_terminated sleeps the whole time when no signal comes") {
  auto start = EventLoop::now();
  CHECK_FALSE(nt::sys::sleep_unless_terminated(20ms));
  CHECK(EventLoop::now() - start >= 20ms);
  CHECK_FALSE(nt::sys::sleep_unless_terminated(-5ms));
}
