// One io_uring for one job: a send and a non-blocking receive on the same socket in one system call
// (IORING_OP_SENDMSG linked to IORING_OP_RECVMSG). Where the answer is produced inside the send
// (loopback: the kernel answers an echo request in the sender's own softirq), a ping flood then costs
// one system call per echo instead of two. No liburing (not in our stack): io_uring_setup(2),
// io_uring_enter(2) and the three ring mappings.
#pragma once
#include <sys/socket.h>

#include <cstddef>
#include <memory>

namespace nt::sys {

class SendRecvRing {
 public:
  // nullptr when the kernel has no io_uring or refuses it (ENOSYS; EPERM from
  // kernel.io_uring_disabled or a seccomp filter): callers keep to sendmsg/recvmsg.
  static std::unique_ptr<SendRecvRing> open();
  ~SendRecvRing();
  SendRecvRing(const SendRecvRing&) = delete;
  SendRecvRing& operator=(const SendRecvRing&) = delete;

  struct Result {
    long sent;      // bytes, or -errno
    long received;  // bytes, or -errno: -EAGAIN when nothing was queued, -ECANCELED when the send failed
  };
  // sendmsg(fd, out, MSG_DONTWAIT | out_flags), then, if that succeeded, recvmsg(fd, in, MSG_DONTWAIT |
  // in_flags): neither waits (REQ_F_NOWAIT), so the call returns as soon as both are done.
  Result exchange(int fd, const msghdr& out, unsigned out_flags, msghdr& in, unsigned in_flags);
  // After an io_uring_enter failure (not seen in practice): stop using it.
  bool broken() const noexcept { return broken_; }

 private:
  struct Rings;
  explicit SendRecvRing(std::unique_ptr<Rings> rings);
  void queue(unsigned index, unsigned char opcode, int fd, const msghdr& msg, unsigned flags, bool link);
  std::unique_ptr<Rings> rings_;
  bool broken_ = false;
};

}  // namespace nt::sys
