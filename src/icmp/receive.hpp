// Reading ICMP sockets with the ancillary data ping needs: the kernel receive timestamp
// (SO_TIMESTAMPNS, CLOCK_REALTIME), the TTL / hop limit (parsed by net/cmsg), and error-queue entries.
#pragma once
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <span>

#include "net/address.hpp"
#include "net/error_queue.hpp"

namespace nt::icmp {

struct Received {
  net::SocketAddress from;
  struct timespec kernel_time {};  // tv_sec == 0 when the kernel gave no timestamp
  int ttl = -1;                    // from IP_TTL / IPV6_HOPLIMIT control messages
  bool truncated = false;          // MSG_TRUNC: the datagram did not fit the buffer
};

// One recvmsg: bytes read (>0), or -errno (-EAGAIN when nothing is queued). EINTR is retried.
[[nodiscard]] ssize_t receive_packet(int fd, std::span<std::byte> buffer, Received& meta) noexcept;

// receive_packet in two halves, for a caller that issues the recvmsg itself (io_uring): prepare()
// points `msg` at `buffer`, meta.from and the control buffer; finish() reads what the kernel wrote
// back (source length, MSG_TRUNC, control messages) after a successful receive.
struct PacketReader {
  static constexpr std::size_t kControlSize = 512;  // a timestamp, a TTL, an extended error + offender
  alignas(cmsghdr) char control[kControlSize];
  iovec iov{};
  msghdr msg{};
  void prepare(std::span<std::byte> buffer, Received& meta) noexcept;
  void finish(Received& meta) noexcept;
};

// An error-queue entry (the core's reader: net/error_queue.hpp).
using ReceivedError = net::ErrorQueueEntry;

// One recvmsg(MSG_ERRQUEUE): length of the returned original datagram in `buffer`, or -errno
// (-EAGAIN when the queue is empty).
[[nodiscard]] inline ssize_t receive_error(int fd, std::span<std::byte> buffer,
                                           ReceivedError& meta) noexcept {
  return net::read_error_queue(net::SocketHandle(fd), buffer, meta);
}

}  // namespace nt::icmp
