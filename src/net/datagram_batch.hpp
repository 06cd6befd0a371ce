// Batched datagram I/O: one recvmmsg(2) fills up to N slots (payload, source, kernel receive
// timestamp, destination address), replies are queued per slot and leave in one sendmmsg(2) from the
// address the request was sent to (IP_PKTINFO / IPV6_PKTINFO), so a server bound to a wildcard
// answers from the right address on a multihomed host. Buffers are allocated once, up front.
#pragma once
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "net/cmsg.hpp"
#include "net/socket_handle.hpp"

namespace nt::net {

// Sends every message of `msgs` with as few sendmmsg(2) calls as the kernel allows. sendmmsg stops at
// the first message it cannot send and reports only that one's error: `failed(index, err)` decides
// whether to skip it and go on (true) or give up on the rest (false). Returns the messages sent.
template <typename OnFailure>
std::size_t send_each(SocketHandle s, std::span<mmsghdr> msgs, int flags,
                      OnFailure&& failed) noexcept(noexcept(failed(std::size_t{}, 0))) {
  std::size_t sent = 0;
  for (std::size_t next = 0; next < msgs.size();) {
    const int n = s.send_mmsg(msgs.subspan(next), flags);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      next += static_cast<std::size_t>(n);
      continue;
    }
    if (!failed(next, n < 0 ? -n : EIO)) break;
    ++next;
  }
  return sent;
}

class DatagramBatch {
 public:
  DatagramBatch(std::size_t slots, std::size_t buffer_size, std::size_t reply_capacity = 64);

  // Asks the kernel for receive timestamps, and for destination addresses when the socket is bound
  // to a wildcard (with a specific address the kernel already picks the right source). Throws.
  static void enable_socket_options(SocketHandle s, int family, bool wildcard);

  // Non-blocking recvmmsg: received count (≥ 0), or -errno (-EAGAIN when nothing is waiting).
  int receive(SocketHandle s) noexcept;
  std::span<const std::byte> payload(std::size_t i) const noexcept;
  bool truncated(std::size_t i) const noexcept;
  const sockaddr* source(std::size_t i) const noexcept;
  socklen_t source_len(std::size_t i) const noexcept;
  // Slot i's control messages (timestamp, pktinfo, TTL/hop limit, TOS/traffic class as enabled).
  ControlMessages control(std::size_t i) const noexcept { return ControlMessages(in_[i].msg_hdr); }
  // Kernel receive time (SO_TIMESTAMPNS, Unix ns), or `fallback_ns` when the kernel gave none.
  int64_t receive_ns(std::size_t i, int64_t fallback_ns) const noexcept;

  // A reply buffer for slot i (reply_capacity bytes); queue it with queue_reply.
  std::span<std::byte> reply_buffer(std::size_t i) noexcept;
  void queue_reply(std::size_t i, std::size_t len) noexcept;
  struct SendResult {
    std::size_t sent = 0;
    std::size_t failed = 0;
  };
  // Sends every queued reply (skipping any the kernel refuses) and clears the queue.
  SendResult send_queued(SocketHandle s) noexcept;

 private:
  std::size_t slots_, buffer_size_, reply_capacity_;
  std::vector<std::byte> buffers_, replies_;
  std::vector<sockaddr_storage> sources_;
  std::vector<std::byte> controls_, reply_controls_;
  std::vector<struct mmsghdr> in_, out_;
  std::vector<struct iovec> in_iov_, out_iov_;
  std::size_t received_ = 0, queued_ = 0;
  std::size_t build_reply_control(std::size_t i, std::span<std::byte> out) const noexcept;
};

}  // namespace nt::net
