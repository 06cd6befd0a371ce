// A non-owning socket handle beside the owning UniqueFd: the socket calls as thin, inline, noexcept
// wrappers that return 0 / a count / a descriptor, or -errno (EINTR retried where the call can be
// restarted; EAGAIN is an ordinary result). Sends always add MSG_NOSIGNAL. Options go through the
// named table (net/sockopt.hpp): `sock.set_int(sockopt("SO_RCVBUF"), 1 << 20)`.
// Helpers that must succeed and throw with the call and address named are in net/socket_calls.hpp.
#pragma once
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <span>
#include <string_view>

#include "net/address.hpp"
#include "net/fd.hpp"
#include "net/sockopt.hpp"

namespace nt::net {

// socket(2) with SOCK_CLOEXEC always (`type` may add SOCK_NONBLOCK): the descriptor, or -errno.
[[nodiscard]] inline int try_socket(int family, int type, int protocol = 0) noexcept {
  const int fd = ::socket(family, type | SOCK_CLOEXEC, protocol);
  return fd >= 0 ? fd : -errno;
}

class SocketHandle {
 public:
  constexpr SocketHandle() noexcept = default;
  constexpr explicit SocketHandle(int fd) noexcept : fd_(fd) {}
  SocketHandle(const UniqueFd& fd) noexcept : fd_(fd.get()) {}  // NOLINT: borrowing is the point

  constexpr int fd() const noexcept { return fd_; }
  constexpr bool valid() const noexcept { return fd_ >= 0; }

  [[nodiscard]] int bind(const SocketAddress& a) const noexcept {
    return check(::bind(fd_, a.get(), a.size()));
  }
  [[nodiscard]] int listen(int backlog) const noexcept { return check(::listen(fd_, backlog)); }
  // A new descriptor (SOCK_CLOEXEC, plus SOCK_NONBLOCK by default) or -errno; `peer` filled if given.
  [[nodiscard]] int accept(SocketAddress* peer = nullptr, int flags = SOCK_NONBLOCK) const noexcept;
  // 0 connected, -EINPROGRESS on a non-blocking socket (also after EINTR: the connect carries on),
  // else -errno.
  [[nodiscard]] int connect(const SocketAddress& a) const noexcept {
    if (::connect(fd_, a.get(), a.size()) == 0) return 0;
    return errno == EINTR ? -EINPROGRESS : -errno;
  }
  // connect and wait up to `timeout` for the handshake: 0, -ETIMEDOUT, -EINTR (termination signal),
  // or the failure. The socket's blocking mode is unchanged.
  [[nodiscard]] int connect(const SocketAddress& a, std::chrono::milliseconds timeout) const noexcept;
  [[nodiscard]] int shutdown(int how = SHUT_WR) const noexcept { return check(::shutdown(fd_, how)); }

  [[nodiscard]] ssize_t send(std::span<const std::byte> data, int flags = 0) const noexcept {
    return retry([&] { return ::send(fd_, data.data(), data.size(), flags | MSG_NOSIGNAL); });
  }
  [[nodiscard]] ssize_t send_to(std::span<const std::byte> data, const SocketAddress& to,
                                int flags = 0) const noexcept {
    return retry(
        [&] { return ::sendto(fd_, data.data(), data.size(), flags | MSG_NOSIGNAL, to.get(), to.size()); });
  }
  [[nodiscard]] ssize_t recv(std::span<std::byte> buf, int flags = 0) const noexcept {
    return retry([&] { return ::recv(fd_, buf.data(), buf.size(), flags); });
  }
  [[nodiscard]] ssize_t recv_from(std::span<std::byte> buf, SocketAddress& from,
                                  int flags = 0) const noexcept;
  [[nodiscard]] ssize_t send_msg(const msghdr& m, int flags = 0) const noexcept {
    return retry([&] { return ::sendmsg(fd_, &m, flags | MSG_NOSIGNAL); });
  }
  [[nodiscard]] ssize_t recv_msg(msghdr& m, int flags = 0) const noexcept {
    return retry([&] { return ::recvmsg(fd_, &m, flags); });
  }
  // Messages sent / received (≥ 1), or -errno of the first one that failed.
  [[nodiscard]] int send_mmsg(std::span<mmsghdr> msgs, int flags = 0) const noexcept {
    return static_cast<int>(retry([&] {
      return ::sendmmsg(fd_, msgs.data(), static_cast<unsigned>(msgs.size()), flags | MSG_NOSIGNAL);
    }));
  }
  [[nodiscard]] int recv_mmsg(std::span<mmsghdr> msgs, int flags = 0) const noexcept {
    return static_cast<int>(retry(
        [&] { return ::recvmmsg(fd_, msgs.data(), static_cast<unsigned>(msgs.size()), flags, nullptr); }));
  }

  [[nodiscard]] int local_address(SocketAddress& out) const noexcept;
  [[nodiscard]] int peer_address(SocketAddress& out) const noexcept;

  // Options by table entry. The value type must match the entry's (integer/boolean/u32 for *_int).
  [[nodiscard]] int set_int(const SocketOption& o, int value) const noexcept {
    return set_raw(o.level, o.option, &value, sizeof value);
  }
  [[nodiscard]] int get_int(const SocketOption& o, int& value) const noexcept {
    socklen_t len = sizeof value;
    return get_raw(o.level, o.option, &value, len);
  }
  [[nodiscard]] int set_timeval(const SocketOption& o, std::chrono::microseconds value) const noexcept;
  [[nodiscard]] int get_timeval(const SocketOption& o, std::chrono::microseconds& value) const noexcept;
  // SO_LINGER: on with `seconds` (0: close sends an RST), or off.
  [[nodiscard]] int set_linger(bool on, int seconds) const noexcept;
  // string/ifname options; `out` gets the value without the NUL.
  [[nodiscard]] int set_string(const SocketOption& o, std::string_view value) const noexcept;
  [[nodiscard]] int get_string(const SocketOption& o, std::span<char> buf,
                               std::string_view& out) const noexcept;
  // Any option as raw bytes: `len` in = capacity, out = what the kernel wrote.
  [[nodiscard]] int get_bytes(const SocketOption& o, std::span<std::byte> buf,
                              socklen_t& len) const noexcept {
    len = static_cast<socklen_t>(buf.size());
    return get_raw(o.level, o.option, buf.data(), len);
  }
  [[nodiscard]] int set_raw(int level, int name, const void* v, socklen_t len) const noexcept {
    return check(::setsockopt(fd_, level, name, v, len));
  }
  [[nodiscard]] int get_raw(int level, int name, void* v, socklen_t& len) const noexcept {
    return check(::getsockopt(fd_, level, name, v, &len));
  }

 private:
  static int check(int rc) noexcept { return rc == 0 ? 0 : -errno; }
  template <typename Call>
  static ssize_t retry(Call call) noexcept {
    for (;;) {
      const ssize_t n = call();
      if (n >= 0) return n;
      if (errno != EINTR) return -errno;
    }
  }
  int fd_ = -1;
};

}  // namespace nt::net
