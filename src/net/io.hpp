// Transfers that survive partial reads/writes and EINTR, in one place. Sends use MSG_NOSIGNAL.
#pragma once
#include <poll.h>
#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <span>
#include <string_view>

namespace nt::net {

// Non-blocking single attempts. Return bytes moved (>0), 0 for orderly EOF (recv only),
// or -errno (-EAGAIN when it would block). EINTR is retried inside.
[[nodiscard]] ssize_t try_send(int fd, std::span<const std::byte> data) noexcept;
[[nodiscard]] ssize_t try_recv(int fd, std::span<std::byte> buf) noexcept;

// Blocking (or poll-waiting on non-blocking sockets) loops. send_all returns 0 or -errno;
// recv_all returns bytes read (short only at EOF) or -errno. A termination signal (see sys/signals)
// interrupts the wait with -EINTR. timeout < 0 waits forever.
[[nodiscard]] ssize_t send_all(int fd, std::span<const std::byte> data,
                               std::chrono::milliseconds timeout = std::chrono::milliseconds(-1)) noexcept;
[[nodiscard]] ssize_t recv_all(int fd, std::span<std::byte> buf,
                               std::chrono::milliseconds timeout = std::chrono::milliseconds(-1)) noexcept;

// read(2)/write(2) on any descriptor (stdin/stdout pipes, files): bytes, 0 at EOF (read), or -errno;
// EINTR retried inside. poll_fds: poll(2) over several descriptors, ready count or -errno.
[[nodiscard]] ssize_t try_read(int fd, std::span<std::byte> buf) noexcept;
[[nodiscard]] ssize_t try_write(int fd, std::span<const std::byte> data) noexcept;
[[nodiscard]] int poll_fds(std::span<pollfd> fds, int timeout_ms) noexcept;

// Waits until fd is ready for `events` (POLLIN/POLLOUT). Returns 1 ready, 0 timeout, -EINTR when a
// termination signal is pending, other -errno on failure.
[[nodiscard]] int wait_ready(int fd, short events, std::chrono::milliseconds timeout) noexcept;

inline std::span<const std::byte> as_bytes(std::string_view s) noexcept {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

}  // namespace nt::net
