// Reading ICMP sockets with the ancillary data ping needs: the kernel receive timestamp
// (SO_TIMESTAMPNS, CLOCK_REALTIME), the TTL / hop limit, and IP_RECVERR error-queue entries.
#pragma once
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <span>

#include "net/address.hpp"

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

struct ReceivedError {
  net::SocketAddress destination;  // where the probe was sent (msg_name)
  net::SocketAddress offender;     // who reported it (SO_EE_OFFENDER); family 0 for local errors
  struct timespec kernel_time {};
  int error = 0;       // ee_errno
  uint8_t origin = 0;  // SO_EE_ORIGIN_ICMP / _ICMP6 / _LOCAL
  uint8_t type = 0, code = 0;
  uint32_t info = 0;  // MTU for "fragmentation needed" / EMSGSIZE
  bool has_extended_error = false;
};

// One recvmsg(MSG_ERRQUEUE): length of the returned original datagram in `buffer`, or -errno
// (-EAGAIN when the queue is empty).
[[nodiscard]] ssize_t receive_error(int fd, std::span<std::byte> buffer, ReceivedError& meta) noexcept;

}  // namespace nt::icmp
