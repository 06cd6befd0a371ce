// The event loop's readiness group: edge-triggered members, drained by the owner.
#include <doctest/doctest.h>
#include <sys/socket.h>

#include <array>

#include "event/readiness_group.hpp"

using namespace nt;

TEST_CASE("readiness group: a member reports each change once, leaves on remove, wakes the loop") {
  event::EventLoop loop(false);
  int wakeups = 0;
  event::ReadinessGroup group(loop, [&] { ++wakeups; });
  std::array<int, 2> pair{};
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, pair.data()) == 0);
  net::UniqueFd a(pair[0]), b(pair[1]);
  group.add(a.get(), EPOLLIN | EPOLLET);

  std::array<epoll_event, 4> events{};
  CHECK(group.ready(events) == 0);
  REQUIRE(::write(b.get(), "x", 1) == 1);
  loop.run_once(std::chrono::milliseconds(1000));
  CHECK(wakeups == 1);
  REQUIRE(group.ready(events) == 1);
  const int ready_fd = events[0].data.fd;
  CHECK(ready_fd == a.get());
  CHECK(group.ready(events) == 0);  // edge-triggered: reported once until the state changes again

  group.remove(a.get());
  REQUIRE(::write(b.get(), "y", 1) == 1);
  CHECK(group.ready(events) == 0);
}
