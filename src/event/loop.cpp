#include "event/loop.hpp"

#include <sys/eventfd.h>
#include <sys/timerfd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <limits>
#include <system_error>

#include "sys/error.hpp"
#include "sys/signals.hpp"

namespace nt::event {

namespace {
// epoll user data: the fd in the low 32 bits, the handler's generation in the high 32, so an event
// for an fd that was removed (and maybe reused) within the same epoll_wait batch is recognised as stale.
uint64_t pack(int fd, uint64_t generation) {
  return (generation << 32) | static_cast<uint32_t>(fd);
}
int unpack_fd(uint64_t data) {
  return static_cast<int>(data & 0xffffffffu);
}
uint64_t unpack_generation(uint64_t data) {
  return data >> 32;
}

constexpr uint64_t kInternal = 0;  // generation 0 marks the loop's own fds
}  // namespace

EventLoop::EventLoop(bool watch_signals) : watch_signals_(watch_signals) {
  epoll_.reset(::epoll_create1(EPOLL_CLOEXEC));
  if (!epoll_) throw_errno("epoll_create1");
  timerfd_.reset(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
  if (!timerfd_) throw_errno("timerfd_create");
  wakefd_.reset(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (!wakefd_) throw_errno("eventfd");
  std::array<int, 3> internal{timerfd_.get(), wakefd_.get(),
                              watch_signals ? sys::termination_signal_fd() : -1};
  for (int fd : internal) {
    if (fd < 0) continue;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = pack(fd, kInternal);
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) != 0) throw_errno("epoll_ctl(ADD internal)");
  }
  on_signal_ = [this](int) { stop(); };
}

EventLoop::~EventLoop() = default;

void EventLoop::control(int op, int fd, const Handler& h) {
  epoll_event ev{};
  ev.events = h.events;
  ev.data.u64 = pack(fd, h.generation);
  if (::epoll_ctl(epoll_.get(), op, fd, &ev) != 0) throw_errno("epoll_ctl");
}

void EventLoop::add(int fd, uint32_t events, IoCallback cb) {
  // Generations live in 32 bits of the epoll data and 0 is kInternal: wrap from 2^32 − 1 to 1, or a
  // server's four-billionth connection would be dispatched as one of the loop's own fds.
  uint64_t generation = next_generation_;
  next_generation_ = generation >= 0xffffffffu ? 1 : generation + 1;
  if (fd < 0) throw std::system_error(EBADF, std::generic_category(), "epoll_ctl");
  auto handler = std::make_unique<Handler>(Handler{std::move(cb), generation, events});
  control(EPOLL_CTL_ADD, fd, *handler);
  if (static_cast<std::size_t>(fd) >= handlers_.size()) handlers_.resize(static_cast<std::size_t>(fd) + 1);
  handlers_[static_cast<std::size_t>(fd)] = std::move(handler);
  ++handler_count_;
}

void EventLoop::modify(int fd, uint32_t events) {
  Handler* h = find(fd);
  if (!h) return;
  h->events = events;
  if (!h->parked) control(EPOLL_CTL_MOD, fd, *h);
}

void EventLoop::park(int fd) {
  Handler* h = find(fd);
  if (!h || h->parked) return;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr) != 0) throw_errno("epoll_ctl(DEL)");
  h->parked = true;
}

void EventLoop::unpark(int fd) {
  Handler* h = find(fd);
  if (!h || !h->parked) return;
  control(EPOLL_CTL_ADD, fd, *h);
  h->parked = false;
}

void EventLoop::remove(int fd) noexcept {
  if (!find(fd)) return;
  auto& slot = handlers_[static_cast<std::size_t>(fd)];
  if (dispatching_) retired_.push_back(std::move(slot));  // its callback may be running right now
  slot.reset();
  --handler_count_;
  // The fd may already be closed (then epoll dropped it itself); ignore EBADF/ENOENT.
  (void)::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
}

EventLoop::TimerId EventLoop::add_timer(TimePoint when, TimerCallback cb) {
  TimerId id = next_timer_id_++;
  timers_.emplace(std::make_pair(when, id), std::move(cb));
  timer_deadlines_.emplace(id, when);
  arm_timerfd();
  return id;
}

void EventLoop::cancel_timer(TimerId id) noexcept {
  auto it = timer_deadlines_.find(id);
  if (it == timer_deadlines_.end()) return;
  timers_.erase(std::make_pair(it->second, id));
  timer_deadlines_.erase(it);
}

void EventLoop::arm_timerfd() {
  TimePoint next = timers_.empty() ? TimePoint{} : timers_.begin()->first.first;
  if (next == armed_for_) return;
  armed_for_ = next;
  itimerspec spec{};
  if (!timers_.empty()) {
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(next.time_since_epoch()).count();
    if (ns <= 0) ns = 1;  // an all-zero it_value would disarm the timer
    spec.it_value.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
    spec.it_value.tv_nsec = static_cast<long>(ns % 1'000'000'000);
  }
  if (::timerfd_settime(timerfd_.get(), TFD_TIMER_ABSTIME, &spec, nullptr) != 0)
    throw_errno("timerfd_settime");
}

void EventLoop::fire_due_timers() {
  uint64_t expirations = 0;
  // EAGAIN (a spurious wake-up) leaves expirations 0; due timers are found by time, not by the count.
  if (::read(timerfd_.get(), &expirations, sizeof expirations) < 0) expirations = 0;
  armed_for_ = TimePoint{};
  TimePoint current = now();
  // Only timers due now: a callback that adds a timer for "now" runs on the next turn, not in a loop here.
  while (!timers_.empty() && timers_.begin()->first.first <= current && !stop_requested_) {
    auto node = timers_.extract(timers_.begin());
    timer_deadlines_.erase(node.key().second);
    node.mapped()();
  }
  arm_timerfd();
}

void EventLoop::drain_wakeup() noexcept {
  uint64_t value = 0;
  // EAGAIN: nothing was pending. (void) does not silence warn_unused_result under _FORTIFY_SOURCE.
  if (::read(wakefd_.get(), &value, sizeof value) < 0) value = 0;
}

void EventLoop::dispatch(const epoll_event& ev) {
  int fd = unpack_fd(ev.data.u64);
  uint64_t generation = unpack_generation(ev.data.u64);
  if (generation == kInternal) {
    if (fd == timerfd_.get()) {
      fire_due_timers();
    } else if (fd == wakefd_.get()) {
      drain_wakeup();
    } else if (int signo = sys::take_termination_signal(); signo != 0 && on_signal_) {
      on_signal_(signo);
    }
    return;
  }
  Handler* h = find(fd);
  if (!h || h->generation != generation) return;
  h->cb(ev.events);  // if it removes itself, the handler lives on in retired_ until the batch ends
}

void EventLoop::run_once(Duration timeout) {
  std::array<epoll_event, 256> events{};
  int timeout_ms = -1;
  if (timeout.count() >= 0) {
    // Rounded up (never wake before the deadline) and capped, as epoll_wait takes an int.
    auto ms = std::chrono::ceil<std::chrono::milliseconds>(timeout).count();
    timeout_ms = static_cast<int>(std::min<decltype(ms)>(ms, std::numeric_limits<int>::max()));
  }
  int n = ::epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()), timeout_ms);
  if (n < 0) {
    if (errno == EINTR) return;
    throw_errno("epoll_wait");
  }
  dispatching_ = true;
  for (int i = 0; i < n && !stop_requested_; ++i) dispatch(events[static_cast<std::size_t>(i)]);
  dispatching_ = false;
  retired_.clear();
}

void EventLoop::run() {
  // A termination signal that arrived before this loop existed must still end it.
  if (watch_signals_ && sys::termination_requested() && on_signal_) on_signal_(SIGTERM);
  while (!stop_requested_ && (handler_count_ != 0 || !timers_.empty())) run_once(Duration(-1));
}

void EventLoop::stop() noexcept {
  stop_requested_ = true;
  uint64_t one = 1;
  // EAGAIN: the counter is already non-zero, so the loop will wake anyway.
  if (::write(wakefd_.get(), &one, sizeof one) < 0) one = 0;
}

}  // namespace nt::event
