// Batched UDP I/O for the server: one recvmmsg(2) fills up to N slots (payload, source, kernel receive
// timestamp, destination address), replies are queued per slot and leave in one sendmmsg(2) from the
// address the request was sent to (IP_PKTINFO), so a server bound to a wildcard answers correctly
// on a multihomed host.
#pragma once
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace nt::udp_time {

class DatagramBatch {
 public:
  DatagramBatch(std::size_t slots, std::size_t buffer_size);

  // Asks the kernel for receive timestamps on `fd`, and for destination addresses when the socket is
  // bound to a wildcard (with a specific address the kernel already picks the right source).
  static void enable_socket_options(int fd, int family, bool wildcard);

  // Non-blocking recvmmsg: received count (≥ 0), or -errno (-EAGAIN when nothing is waiting).
  int receive(int fd) noexcept;
  std::span<const std::byte> payload(std::size_t i) const noexcept;
  bool truncated(std::size_t i) const noexcept;
  const sockaddr* source(std::size_t i) const noexcept;
  socklen_t source_len(std::size_t i) const noexcept;
  // Kernel receive time (SO_TIMESTAMPNS, Unix ns), or `fallback_ns` when the kernel gave none.
  int64_t receive_ns(std::size_t i, int64_t fallback_ns) const noexcept;

  // A reply buffer for slot i (kReplyCapacity bytes); queue it with queue_reply.
  static constexpr std::size_t kReplyCapacity = 64;
  std::span<std::byte> reply_buffer(std::size_t i) noexcept;
  void queue_reply(std::size_t i, std::size_t len) noexcept;
  struct SendResult {
    std::size_t sent = 0;
    std::size_t failed = 0;
  };
  // Sends every queued reply (skipping any the kernel refuses) and clears the queue.
  SendResult send_queued(int fd) noexcept;

 private:
  std::size_t slots_, buffer_size_;
  std::vector<std::byte> buffers_, replies_;
  std::vector<sockaddr_storage> sources_;
  std::vector<std::byte> controls_, reply_controls_;
  std::vector<struct mmsghdr> in_, out_;
  std::vector<struct iovec> in_iov_, out_iov_;
  std::size_t received_ = 0, queued_ = 0;
  std::size_t build_reply_control(std::size_t i, std::byte* out) const noexcept;
};

}  // namespace nt::udp_time
