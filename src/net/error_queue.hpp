// The socket error queue (IP_RECVERR / IPV6_RECVERR, ip(7)): ICMP errors and local send failures the
// kernel queues for a socket, each with the datagram that caused it, its destination and the node
// that reported it. Read without blocking.
#pragma once
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <span>

#include "net/address.hpp"
#include "net/socket_handle.hpp"

namespace nt::net {

struct ErrorQueueEntry {
  SocketAddress destination;  // where the failed datagram was sent (msg_name)
  SocketAddress offender;     // who reported it (SO_EE_OFFENDER); family 0 for local errors
  struct timespec kernel_time {};
  int error = 0;       // ee_errno
  uint8_t origin = 0;  // SO_EE_ORIGIN_ICMP / _ICMP6 / _LOCAL
  uint8_t type = 0, code = 0;
  uint32_t info = 0;  // MTU for "fragmentation needed" / EMSGSIZE
  bool has_extended_error = false;
  bool control_truncated = false;  // MSG_CTRUNC: the entry's details did not all fit
};

// Enables the error queue for the socket's family (IP_RECVERR, or IPV6_RECVERR; both on a
// dual-stack IPv6 socket, whose IPv4 traffic reports through IP_RECVERR). 0 or -errno.
[[nodiscard]] int enable_error_queue(SocketHandle s, int family) noexcept;

// One recvmsg(MSG_ERRQUEUE | MSG_DONTWAIT): length of the original datagram copied into `buffer`,
// or -errno (-EAGAIN when the queue is empty).
[[nodiscard]] ssize_t read_error_queue(SocketHandle s, std::span<std::byte> buffer,
                                       ErrorQueueEntry& out) noexcept;

// Fills `out` from the control messages of an error-queue msghdr (also for io_uring callers).
void parse_error_control(const msghdr& msg, ErrorQueueEntry& out) noexcept;

}  // namespace nt::net
