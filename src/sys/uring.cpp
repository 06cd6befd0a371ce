#include "sys/uring.hpp"

#include <linux/io_uring.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>

#include "net/fd.hpp"

namespace nt::sys {

namespace {

constexpr unsigned kEntries = 2;  // one send, one receive
constexpr uint64_t kSendTag = 1, kReceiveTag = 2;

int io_uring_setup(unsigned entries, io_uring_params* params) {
  return static_cast<int>(::syscall(__NR_io_uring_setup, entries, params));
}

int io_uring_enter(int fd, unsigned submit, unsigned wait) {
  return static_cast<int>(
      ::syscall(__NR_io_uring_enter, fd, submit, wait, IORING_ENTER_GETEVENTS, nullptr, 0));
}

// One of the ring mappings, unmapped with the ring.
struct Mapping {
  void* base = MAP_FAILED;
  std::size_t size = 0;
  Mapping() = default;
  ~Mapping() {
    if (base != MAP_FAILED) ::munmap(base, size);
  }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  bool map(int fd, std::size_t bytes, off_t offset) {
    size = bytes;
    base = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, offset);
    return base != MAP_FAILED;
  }
  template <typename T>
  T* at(std::size_t offset) const noexcept {
    return reinterpret_cast<T*>(static_cast<char*>(base) + offset);
  }
};

}  // namespace

struct SendRecvRing::Rings {
  net::UniqueFd fd;
  Mapping sq, cq, sqes;
  unsigned *sq_tail = nullptr, *sq_mask = nullptr, *sq_array = nullptr;
  unsigned *cq_head = nullptr, *cq_tail = nullptr, *cq_mask = nullptr;
  io_uring_cqe* cqes = nullptr;
  io_uring_sqe* entries() const noexcept { return sqes.at<io_uring_sqe>(0); }
};

std::unique_ptr<SendRecvRing> SendRecvRing::open() {
  io_uring_params p{};
  auto r = std::make_unique<Rings>();
  r->fd.reset(io_uring_setup(kEntries, &p));
  if (!r->fd) return nullptr;
  const std::size_t sq_bytes = p.sq_off.array + p.sq_entries * sizeof(unsigned);
  const std::size_t cq_bytes = p.cq_off.cqes + p.cq_entries * sizeof(io_uring_cqe);
  if (!r->sq.map(r->fd.get(), sq_bytes, IORING_OFF_SQ_RING) ||
      !r->cq.map(r->fd.get(), cq_bytes, IORING_OFF_CQ_RING) ||
      !r->sqes.map(r->fd.get(), p.sq_entries * sizeof(io_uring_sqe), IORING_OFF_SQES))
    return nullptr;
  r->sq_tail = r->sq.at<unsigned>(p.sq_off.tail);
  r->sq_mask = r->sq.at<unsigned>(p.sq_off.ring_mask);
  r->sq_array = r->sq.at<unsigned>(p.sq_off.array);
  r->cq_head = r->cq.at<unsigned>(p.cq_off.head);
  r->cq_tail = r->cq.at<unsigned>(p.cq_off.tail);
  r->cq_mask = r->cq.at<unsigned>(p.cq_off.ring_mask);
  r->cqes = r->cq.at<io_uring_cqe>(p.cq_off.cqes);
  return std::unique_ptr<SendRecvRing>(new SendRecvRing(std::move(r)));
}

SendRecvRing::SendRecvRing(std::unique_ptr<Rings> rings) : rings_(std::move(rings)) {}
SendRecvRing::~SendRecvRing() = default;

void SendRecvRing::queue(unsigned index, unsigned char opcode, int fd, const msghdr& msg, unsigned flags,
                         bool link) {
  const unsigned slot = index & *rings_->sq_mask;
  io_uring_sqe& e = rings_->entries()[slot];
  std::memset(&e, 0, sizeof e);
  e.opcode = opcode;
  e.fd = fd;
  e.addr = reinterpret_cast<uint64_t>(&msg);
  e.len = 1;
  // MSG_DONTWAIT makes the request REQ_F_NOWAIT: -EAGAIN completes it instead of arming a poll.
  e.msg_flags = flags | MSG_DONTWAIT;
  e.flags = link ? IOSQE_IO_LINK : 0;
  e.user_data = opcode == IORING_OP_SENDMSG ? kSendTag : kReceiveTag;
  rings_->sq_array[slot] = slot;
}

SendRecvRing::Result SendRecvRing::exchange(int fd, const msghdr& out, unsigned out_flags, msghdr& in,
                                            unsigned in_flags) {
  Rings& r = *rings_;
  const unsigned tail = std::atomic_ref<unsigned>(*r.sq_tail).load(std::memory_order_relaxed);
  queue(tail, IORING_OP_SENDMSG, fd, out, out_flags, true);
  queue(tail + 1, IORING_OP_RECVMSG, fd, in, in_flags, false);
  std::atomic_ref<unsigned>(*r.sq_tail).store(tail + 2, std::memory_order_release);
  Result result{-ECANCELED, -ECANCELED};
  unsigned submit = 2, done = 0;
  while (done < 2) {
    const int rc = io_uring_enter(r.fd.get(), submit, 2 - done);
    if (rc < 0 && errno != EINTR) {
      // Never seen (both requests complete inline), but then entries left unsubmitted or unreaped
      // would be taken for the next exchange's: the ring is given up, the caller falls back.
      broken_ = true;
      return {submit == 2 ? -errno : result.sent, result.received};
    }
    if (rc > 0) submit -= std::min(submit, static_cast<unsigned>(rc));
    unsigned head = std::atomic_ref<unsigned>(*r.cq_head).load(std::memory_order_relaxed);
    const unsigned ready = std::atomic_ref<unsigned>(*r.cq_tail).load(std::memory_order_acquire);
    for (; head != ready; ++head, ++done) {
      const io_uring_cqe& c = r.cqes[head & *r.cq_mask];
      (c.user_data == kSendTag ? result.sent : result.received) = c.res;
    }
    std::atomic_ref<unsigned>(*r.cq_head).store(head, std::memory_order_release);
  }
  return result;
}

}  // namespace nt::sys
