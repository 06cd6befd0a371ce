// Descriptor passing over unix sockets (unix(7) SCM_RIGHTS) and who is on the other end
// (SO_PEERCRED, SO_PEERPIDFD, SCM_CREDENTIALS). Thin, noexcept: results are byte counts or -errno.
#pragma once
#include <sys/socket.h>
#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "net/fd.hpp"
#include "net/socket_handle.hpp"

namespace nt::net {

// The kernel's limit on descriptors in one SCM_RIGHTS message (include/net/scm.h); a sendmsg with
// more fails with EINVAL.
inline constexpr std::size_t kScmMaxFd = 253;

// One sendmsg carrying `data` (at least one byte: a stream socket drops an empty message and its
// descriptors with it) and `fds`. Bytes sent, or -errno.
[[nodiscard]] ssize_t send_with_fds(SocketHandle s, std::span<const std::byte> data,
                                    std::span<const int> fds) noexcept;

struct ReceivedMessage {
  std::size_t bytes = 0;
  std::vector<UniqueFd> fds;    // arrive close-on-exec (MSG_CMSG_CLOEXEC)
  bool truncated = false;       // MSG_CTRUNC: the kernel dropped (and closed) what did not fit
  std::optional<ucred> sender;  // SCM_CREDENTIALS, when SO_PASSCRED is on
};

// The control buffer size that holds `max_fds` descriptors and one SCM_CREDENTIALS.
constexpr std::size_t control_space(std::size_t max_fds) noexcept {
  return CMSG_SPACE(max_fds * sizeof(int)) + CMSG_SPACE(sizeof(ucred));
}

// One recvmsg with MSG_CMSG_CLOEXEC and room for `max_fds` descriptors: bytes (0 at EOF) or -errno.
// Every descriptor the kernel delivered ends up in out.fds, owned, even from a malformed buffer.
[[nodiscard]] ssize_t receive_with_fds(SocketHandle s, std::span<std::byte> buf, std::size_t max_fds,
                                       ReceivedMessage& out);

// SO_PASSCRED: every message received carries the sender's pid, uid and gid (SCM_CREDENTIALS).
[[nodiscard]] int enable_pass_credentials(SocketHandle s) noexcept;
// SO_PEERCRED: who connected (or listened), as of connect(2). 0 or -errno.
[[nodiscard]] int peer_credentials(SocketHandle s, ucred& out) noexcept;
// SO_PEERPIDFD (Linux 6.5): a pidfd for the peer process, or -errno (-ENOPROTOOPT: older kernel).
[[nodiscard]] int peer_pidfd(SocketHandle s) noexcept;

}  // namespace nt::net
