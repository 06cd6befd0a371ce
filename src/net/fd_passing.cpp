#include "net/fd_passing.hpp"

#include <sys/uio.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "net/cmsg.hpp"

#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77  // asm-generic/socket.h since Linux 6.5; Debian 12's headers predate it
#endif

namespace nt::net {

ssize_t send_with_fds(SocketHandle s, std::span<const std::byte> data, std::span<const int> fds) noexcept {
  if (fds.size() > kScmMaxFd) return -EINVAL;
  alignas(cmsghdr) std::array<std::byte, CMSG_SPACE(kScmMaxFd * sizeof(int))> control{};
  ControlBuilder builder(control);
  if (!fds.empty() && !builder.add_fds(fds)) return -EINVAL;
  iovec iov{const_cast<std::byte*>(data.data()), data.size()};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  builder.attach(msg);
  return s.send_msg(msg);
}

namespace {
// Takes ownership of every SCM_RIGHTS descriptor in the buffer and the last SCM_CREDENTIALS.
void collect(const msghdr& msg, ReceivedMessage& out) {
  ControlMessages(msg).for_each([&](const Cmsg& c) {
    if (c.level == SOL_SOCKET && c.type == SCM_RIGHTS) {
      const std::size_t count = c.data.size() / sizeof(int);
      for (std::size_t i = 0; i < count; ++i) {
        int fd = -1;
        std::memcpy(&fd, c.data.data() + i * sizeof(int), sizeof fd);
        out.fds.emplace_back(fd);
      }
    }
    ucred cred{};
    if (read_credentials(c, cred)) out.sender = cred;
  });
}
}  // namespace

ssize_t receive_with_fds(SocketHandle s, std::span<std::byte> buf, std::size_t max_fds,
                         ReceivedMessage& out) {
  out = ReceivedMessage{};
  // operator new aligns for any fundamental type, which covers cmsghdr.
  std::vector<std::byte> control(control_space(std::min(max_fds, kScmMaxFd)));
  iovec iov{buf.data(), buf.size()};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.data();
  msg.msg_controllen = control.size();
  const ssize_t n = s.recv_msg(msg, MSG_CMSG_CLOEXEC);
  if (n < 0) return n;
  out.bytes = static_cast<std::size_t>(n);
  out.truncated = (msg.msg_flags & MSG_CTRUNC) != 0;
  collect(msg, out);
  return n;
}

int enable_pass_credentials(SocketHandle s) noexcept {
  const int on = 1;
  return s.set_raw(SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
}

int peer_credentials(SocketHandle s, ucred& out) noexcept {
  socklen_t len = sizeof out;
  return s.get_raw(SOL_SOCKET, SO_PEERCRED, &out, len);
}

int peer_pidfd(SocketHandle s) noexcept {
  int fd = -1;
  socklen_t len = sizeof fd;
  const int rc = s.get_raw(SOL_SOCKET, SO_PEERPIDFD, &fd, len);
  return rc == 0 ? fd : rc;
}

}  // namespace nt::net
