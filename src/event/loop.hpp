// The event loop: epoll for descriptors, one timerfd for all timers (nanosecond precision, earliest
// deadline armed), and the process signalfd for SIGINT/SIGTERM. Single-threaded by contract: a
// program that wants more cores runs one loop per thread and talks to them through stop()/wake().
#pragma once
#include <sys/epoll.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

#include "net/fd.hpp"
#include "sys/clock.hpp"

namespace nt::event {

using TimePoint = sys::MonoClock::time_point;
using Duration = std::chrono::nanoseconds;

class EventLoop {
 public:
  using IoCallback = std::function<void(uint32_t events)>;  // EPOLLIN/EPOLLOUT/EPOLLERR/EPOLLHUP…
  using TimerCallback = std::function<void()>;
  using SignalCallback = std::function<void(int signo)>;
  using TimerId = uint64_t;

  // watch_signals: this loop reads the process signalfd; the default handler calls stop().
  explicit EventLoop(bool watch_signals = true);
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Registering an fd twice throws; callbacks may add/remove any fd (including their own) safely.
  void add(int fd, uint32_t events, IoCallback cb);
  void modify(int fd, uint32_t events);
  void remove(int fd) noexcept;
  // park: fd leaves the epoll set but keeps its handler; unpark puts it back (a ready fd is then
  // reported at once). While an fd is registered, every packet queued on or sent from its socket
  // wakes the epoll (sock_def_readable, and sock_wfree → sk_write_space): ep_poll_callback with
  // two irq-saving spinlocks. A handler that drains its socket in a busy loop parks it meanwhile.
  void park(int fd);
  void unpark(int fd);
  bool watching(int fd) const noexcept { return find(fd) != nullptr; }

  TimerId add_timer(TimePoint when, TimerCallback cb);
  TimerId add_timer(Duration after, TimerCallback cb) { return add_timer(now() + after, std::move(cb)); }
  void cancel_timer(TimerId id) noexcept;

  void on_signal(SignalCallback cb) { on_signal_ = std::move(cb); }

  // Runs until stop() (or a termination signal with the default handler), or until there is
  // nothing left to wait for (no fds, no timers).
  void run();
  // Processes ready events once, waiting at most `timeout`.
  void run_once(Duration timeout);
  void stop() noexcept;  // thread-safe: may be called from another thread
  bool stopped() const noexcept { return stop_requested_; }

  static TimePoint now() noexcept { return sys::MonoClock::now(); }
  std::size_t fd_count() const noexcept { return handler_count_; }

 private:
  struct Handler {
    IoCallback cb;
    uint64_t generation;
    uint32_t events;
    bool parked = false;
  };
  void control(int op, int fd, const Handler& h);
  void dispatch(const epoll_event& ev);
  void fire_due_timers();
  void arm_timerfd();
  void drain_wakeup() noexcept;
  Handler* find(int fd) const noexcept {
    return fd >= 0 && static_cast<std::size_t>(fd) < handlers_.size() ? handlers_[fd].get() : nullptr;
  }

  net::UniqueFd epoll_;
  net::UniqueFd timerfd_;
  net::UniqueFd wakefd_;  // eventfd for stop() from other threads
  // Indexed by fd (the kernel hands out the lowest free number, so this stays dense): one load per
  // event instead of a hash lookup and a shared_ptr copy. A handler removed during a batch of events
  // waits in retired_ until the batch is over, so a callback may remove itself or another fd.
  std::vector<std::unique_ptr<Handler>> handlers_;
  std::vector<std::unique_ptr<Handler>> retired_;
  std::size_t handler_count_ = 0;
  bool dispatching_ = false;
  std::map<std::pair<TimePoint, TimerId>, TimerCallback> timers_;
  std::unordered_map<TimerId, TimePoint> timer_deadlines_;
  TimerId next_timer_id_ = 1;
  uint64_t next_generation_ = 1;
  TimePoint armed_for_{};
  bool watch_signals_;
  std::atomic<bool> stop_requested_{false};
  SignalCallback on_signal_;
};

}  // namespace nt::event
