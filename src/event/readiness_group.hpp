// A readiness group: a second epoll set that joins the event loop as one descriptor, for a component
// that watches very many short-lived sockets (a connect scan's thousands of connects in flight).
// Members join and leave without the loop's handler table (no callback object, no allocation per
// socket), close(2) takes a member out without an epoll_ctl, and the owner drains ready members in
// batches of its own size — from the loop's callback, or synchronously (a scanner settles what is
// ready before it declares probes timed out). Single-threaded, like the loop.
#pragma once
#include <sys/epoll.h>

#include <cstdint>
#include <functional>
#include <span>

#include "event/loop.hpp"
#include "net/fd.hpp"

namespace nt::event {

class ReadinessGroup {
 public:
  // `on_ready` runs on the loop when some member is ready; it reads them with ready().
  ReadinessGroup(EventLoop& loop, std::function<void()> on_ready);
  ~ReadinessGroup();
  ReadinessGroup(const ReadinessGroup&) = delete;
  ReadinessGroup& operator=(const ReadinessGroup&) = delete;

  // Watches fd for `events` (EPOLLOUT | EPOLLET, …); epoll_event.data.fd carries it back. Throws.
  void add(int fd, uint32_t events);
  // Stops watching fd (closing it does the same). Ignores an fd that is not a member.
  void remove(int fd) noexcept;
  // Fills `out` with ready members without waiting: how many (0 when none, or on error).
  [[nodiscard]] int ready(std::span<epoll_event> out) noexcept {
    const int n = ::epoll_wait(epoll_.get(), out.data(), static_cast<int>(out.size()), 0);
    return n > 0 ? n : 0;
  }

 private:
  EventLoop& loop_;
  net::UniqueFd epoll_;
};

}  // namespace nt::event
