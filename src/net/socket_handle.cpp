#include "net/socket_handle.hpp"

#include <poll.h>

#include <cstring>

#include "net/io.hpp"

namespace nt::net {

int SocketHandle::accept(SocketAddress* peer, int flags) const noexcept {
  for (;;) {
    socklen_t len = SocketAddress::capacity();
    const int fd =
        ::accept4(fd_, peer ? peer->get_mut() : nullptr, peer ? &len : nullptr, flags | SOCK_CLOEXEC);
    if (fd >= 0) {
      if (peer) peer->set_size(len);
      return fd;
    }
    // ECONNABORTED: the peer gave up while queued; the next one may be fine (accept(2)).
    if (errno != EINTR) return -errno;
  }
}

int SocketHandle::connect(const SocketAddress& a, std::chrono::milliseconds timeout) const noexcept {
  const int rc = connect(a);
  if (rc != -EINPROGRESS && rc != -EAGAIN) return rc;
  const int ready = wait_ready(fd_, POLLOUT, timeout);
  if (ready == 0) return -ETIMEDOUT;
  if (ready < 0) return ready;
  int err = 0;
  socklen_t len = sizeof err;
  if (const int got = get_raw(SOL_SOCKET, SO_ERROR, &err, len); got != 0) return got;
  return -err;
}

ssize_t SocketHandle::recv_from(std::span<std::byte> buf, SocketAddress& from, int flags) const noexcept {
  for (;;) {
    socklen_t len = SocketAddress::capacity();
    const ssize_t n = ::recvfrom(fd_, buf.data(), buf.size(), flags, from.get_mut(), &len);
    if (n >= 0) {
      from.set_size(len);
      return n;
    }
    if (errno != EINTR) return -errno;
  }
}

int SocketHandle::local_address(SocketAddress& out) const noexcept {
  socklen_t len = SocketAddress::capacity();
  if (::getsockname(fd_, out.get_mut(), &len) != 0) return -errno;
  out.set_size(len);
  return 0;
}

int SocketHandle::peer_address(SocketAddress& out) const noexcept {
  socklen_t len = SocketAddress::capacity();
  if (::getpeername(fd_, out.get_mut(), &len) != 0) return -errno;
  out.set_size(len);
  return 0;
}

int SocketHandle::set_timeval(const SocketOption& o, std::chrono::microseconds value) const noexcept {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(value.count() / 1'000'000);
  tv.tv_usec = static_cast<suseconds_t>(value.count() % 1'000'000);
  return set_raw(o.level, o.option, &tv, sizeof tv);
}

int SocketHandle::get_timeval(const SocketOption& o, std::chrono::microseconds& value) const noexcept {
  timeval tv{};
  socklen_t len = sizeof tv;
  const int rc = get_raw(o.level, o.option, &tv, len);
  if (rc == 0) value = std::chrono::seconds(tv.tv_sec) + std::chrono::microseconds(tv.tv_usec);
  return rc;
}

int SocketHandle::set_linger(bool on, int seconds) const noexcept {
  const linger l{on ? 1 : 0, seconds};
  return set_raw(SOL_SOCKET, SO_LINGER, &l, sizeof l);
}

int SocketHandle::set_string(const SocketOption& o, std::string_view value) const noexcept {
  return set_raw(o.level, o.option, value.data(), static_cast<socklen_t>(value.size()));
}

int SocketHandle::get_string(const SocketOption& o, std::span<char> buf,
                             std::string_view& out) const noexcept {
  socklen_t len = static_cast<socklen_t>(buf.size());
  const int rc = get_raw(o.level, o.option, buf.data(), len);
  if (rc != 0) return rc;
  const std::size_t n = std::min<std::size_t>(len, buf.size());
  out = std::string_view(buf.data(), strnlen(buf.data(), n));
  return 0;
}

}  // namespace nt::net
