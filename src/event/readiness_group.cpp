#include "event/readiness_group.hpp"

#include "sys/error.hpp"

namespace nt::event {

ReadinessGroup::ReadinessGroup(EventLoop& loop, std::function<void()> on_ready) : loop_(loop) {
  epoll_.reset(::epoll_create1(EPOLL_CLOEXEC));
  if (!epoll_) throw_errno("epoll_create1");
  loop_.add(epoll_.get(), EPOLLIN, [cb = std::move(on_ready)](uint32_t) { cb(); });
}

ReadinessGroup::~ReadinessGroup() {
  loop_.remove(epoll_.get());
}

void ReadinessGroup::add(int fd, uint32_t events) {
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) != 0) throw_errno("epoll_ctl(ADD)");
}

void ReadinessGroup::remove(int fd) noexcept {
  (void)::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
}

}  // namespace nt::event
