#include "net/io.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <limits>

#include "sys/clock.hpp"
#include "sys/signals.hpp"

namespace nt::net {

ssize_t try_send(int fd, std::span<const std::byte> data) noexcept {
  for (;;) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n >= 0) return n;
    if (errno == ENOTSOCK) n = ::write(fd, data.data(), data.size());  // pipes and files
    if (n >= 0) return n;
    if (errno != EINTR) return -errno;
  }
}

ssize_t try_recv(int fd, std::span<std::byte> buf) noexcept {
  for (;;) {
    ssize_t n = ::recv(fd, buf.data(), buf.size(), MSG_DONTWAIT);
    if (n >= 0) return n;
    if (errno == ENOTSOCK) n = ::read(fd, buf.data(), buf.size());
    if (n >= 0) return n;
    if (errno != EINTR) return -errno;
  }
}

ssize_t try_read(int fd, std::span<std::byte> buf) noexcept {
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n >= 0) return n;
    if (errno != EINTR) return -errno;
  }
}

ssize_t try_write(int fd, std::span<const std::byte> data) noexcept {
  for (;;) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n >= 0) return n;
    if (errno != EINTR) return -errno;
  }
}

int poll_fds(std::span<pollfd> fds, int timeout_ms) noexcept {
  const int n = ::poll(fds.data(), static_cast<nfds_t>(fds.size()), timeout_ms);
  return n >= 0 ? n : -errno;
}

int wait_ready(int fd, short events, std::chrono::milliseconds timeout) noexcept {
  using namespace std::chrono;
  auto deadline = sys::MonoClock::now() + timeout;
  for (;;) {
    pollfd fds[2] = {{fd, events, 0}, {sys::termination_signal_fd(), POLLIN, 0}};
    int wait_ms = -1;
    if (timeout.count() >= 0) {
      auto left = duration_cast<milliseconds>(deadline - sys::MonoClock::now()).count();
      wait_ms = static_cast<int>(std::clamp<long long>(left, 0, std::numeric_limits<int>::max()));
    }
    int rc = ::poll(fds, fds[1].fd >= 0 ? 2 : 1, wait_ms);
    if (rc < 0 && errno == EINTR) continue;
    if (rc < 0) return -errno;
    if (rc == 0) return 0;
    if (fds[1].revents & POLLIN) {
      if (sys::termination_requested()) return -EINTR;
      continue;
    }
    return 1;
  }
}

ssize_t send_all(int fd, std::span<const std::byte> data, std::chrono::milliseconds timeout) noexcept {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = try_send(fd, data.subspan(done));
    if (n >= 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n != -EAGAIN) return n;
    int ready = wait_ready(fd, POLLOUT, timeout);
    if (ready == 0) return -ETIMEDOUT;
    if (ready < 0) return ready;
  }
  return 0;
}

ssize_t recv_all(int fd, std::span<std::byte> buf, std::chrono::milliseconds timeout) noexcept {
  std::size_t done = 0;
  while (done < buf.size()) {
    ssize_t n = try_recv(fd, buf.subspan(done));
    if (n == 0) break;
    if (n > 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n != -EAGAIN) return n;
    int ready = wait_ready(fd, POLLIN, timeout);
    if (ready == 0) return -ETIMEDOUT;
    if (ready < 0) return ready;
  }
  return static_cast<ssize_t>(done);
}

}  // namespace nt::net
