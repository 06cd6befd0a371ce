#include "subcommands/multicast/sender.hpp"

#include <netinet/in.h>
#include <sys/random.h>

#include <chrono>
#include <vector>

#include "event/loop.hpp"
#include "event/output_watch.hpp"
#include "net/datagram_batch.hpp"
#include "net/socket.hpp"
#include "net/token_bucket.hpp"
#include "pcap/traffic_filter.hpp"
#include "subcommands/multicast/group.hpp"
#include "subcommands/multicast/payload.hpp"
#include "subcommands/multicast/records.hpp"
#include "sys/clock.hpp"
#include "sys/error.hpp"
#include "sys/privileges.hpp"

namespace nt::multicast {

namespace {
constexpr std::size_t kMaxBatch = 64;
constexpr std::size_t kBatchBytes = 1 << 20;  // all datagrams of one sendmmsg, at most
constexpr int kMaxBatchesPerWakeup = 16;

int64_t wall_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(sys::WallClock::now().time_since_epoch())
      .count();
}

uint32_t random_sender_id() {
  uint32_t id = 0;
  if (::getrandom(&id, sizeof id, 0) != sizeof id) {
    id = static_cast<uint32_t>(sys::MonoClock::now().time_since_epoch().count());
  }
  return id;
}

class Sender {
 public:
  Sender(const SendOptions& o, cli::Runtime& rt, net::UniqueFd fd, uint32_t id, const net::SocketAddress& to)
      : opts_(o),
        rt_(rt),
        fd_(std::move(fd)),
        id_(id),
        bucket_(o.rate),
        slots_(std::clamp<std::size_t>(kBatchBytes / static_cast<std::size_t>(o.size), 1, kMaxBatch)),
        buffers_(slots_ * static_cast<std::size_t>(o.size)),
        iov_(slots_),
        msgs_(slots_),
        to_(to) {
    for (std::size_t i = 0; i < slots_; ++i) {
      std::span<std::byte> buf = slot(i);
      write_header(buf, {id_, static_cast<uint32_t>(o.size), 0, 0});
      iov_[i] = {buf.data(), buf.size()};
      msgs_[i].msg_hdr = {};
      msgs_[i].msg_hdr.msg_iov = &iov_[i];
      msgs_[i].msg_hdr.msg_iovlen = 1;
      msgs_[i].msg_hdr.msg_name = to_.get_mut();  // the connected destination, or the broadcast address
      msgs_[i].msg_hdr.msg_namelen = to_.size();
    }
  }

  int run() {
    started_ = event::EventLoop::now();
    loop_.add(fd_.get(), EPOLLOUT, [this](uint32_t) { pump(); });
    (void)event::stop_when_output_gone(loop_);
    if (opts_.duration_s > 0) loop_.add_timer(sys::from_seconds(opts_.duration_s), [this] { loop_.stop(); });
    if (opts_.interval_s > 0) schedule_interval(1);
    loop_.run();
    const double secs = sys::to_seconds(event::EventLoop::now() - started_);
    rt_.out.emit(SendSummaryRecord{counters_, id_, secs}.to_record());
    return counters_.sent == 0 && counters_.errors > 0 ? kExitRuntime : kExitOk;
  }

 private:
  std::span<std::byte> slot(std::size_t i) {
    return {&buffers_[i * static_cast<std::size_t>(opts_.size)], static_cast<std::size_t>(opts_.size)};
  }

  void schedule_interval(int n) {
    loop_.add_timer(started_ + sys::from_seconds(opts_.interval_s * n), [this, n] {
      rt_.out.emit(
          SendIntervalRecord{opts_.interval_s * n, counters_.sent - marked_, opts_.interval_s}.to_record());
      marked_ = counters_.sent;
      schedule_interval(n + 1);
    });
  }

  bool done() const noexcept { return opts_.count > 0 && next_seq_ >= opts_.count; }

  // How many datagrams may leave now: tokens, the batch size and what --count leaves.
  std::size_t due(event::TimePoint now) {
    std::size_t n = 0;
    while (n < slots_ && (opts_.count == 0 || next_seq_ + n < opts_.count) && bucket_.try_take(now)) ++n;
    return n;
  }

  // Writable: send what is due; when the bucket is empty, stop watching until it refills.
  void pump() {
    for (int round = 0; round < kMaxBatchesPerWakeup; ++round) {
      if (done()) return loop_.stop();
      const event::TimePoint now = event::EventLoop::now();
      const std::size_t n = due(now);
      if (n == 0) return wait_for_tokens(now);
      if (!send_batch(n)) return;  // socket buffer full: EPOLLOUT tells when there is room
    }
  }

  void wait_for_tokens(event::TimePoint now) {
    loop_.park(fd_.get());
    loop_.add_timer(now + bucket_.wait(now), [this] { loop_.unpark(fd_.get()); });
  }

  // False when the kernel would block: the datagrams from there on keep their numbers for the next
  // batch. A datagram the kernel refuses (a firewall, no route) is lost and its number used.
  bool send_batch(std::size_t n) {
    const int64_t now_ns = wall_now_ns();
    for (std::size_t i = 0; i < n; ++i) stamp(slot(i), next_seq_ + i, now_ns);
    std::size_t used = n;
    const std::size_t sent =
        net::send_each(fd_, std::span(msgs_.data(), n), MSG_DONTWAIT, [&](std::size_t at, int err) noexcept {
          if (err == EAGAIN || err == ENOBUFS) {
            used = at;
            return false;
          }
          ++counters_.errors;
          counters_.last_error = err;
          return true;
        });
    counters_.sent += sent;
    counters_.bytes += sent * static_cast<std::size_t>(opts_.size);
    next_seq_ += used;
    return used == n;
  }

  const SendOptions& opts_;
  cli::Runtime& rt_;
  net::UniqueFd fd_;
  uint32_t id_;
  net::TokenBucket bucket_;
  std::size_t slots_;
  std::vector<std::byte> buffers_;
  std::vector<iovec> iov_;
  std::vector<mmsghdr> msgs_;
  net::SocketAddress to_;
  event::EventLoop loop_;
  event::TimePoint started_{};
  SendCounters counters_;
  uint64_t next_seq_ = 0;
  uint64_t marked_ = 0;
};
}  // namespace

int run_send(const SendOptions& opts, cli::Runtime& rt) {
  check_send(opts);
  const Group group = resolve_group(opts.target, opts.iface, opts.broadcast);
  net::UniqueFd fd = open_sender(group, opts);
  sys::drop_privileges();
  // --pcap: what this socket sends to the group (it is connected there), from its own port.
  rt.capture(capture::TrafficFilter().conversation(capture::Transport::udp, group.address,
                                                   net::local_address(fd.get()).port()));
  const uint32_t id = opts.sender_id.value_or(random_sender_id());
  rt.out.emit(SendingRecord{group, opts, id, net::local_address(fd.get()).to_string()}.to_record());
  Sender sender(opts, rt, std::move(fd), id, scoped_address(group));
  return sender.run();
}

}  // namespace nt::multicast
