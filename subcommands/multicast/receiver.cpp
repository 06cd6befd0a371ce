#include "subcommands/multicast/receiver.hpp"

#include <chrono>

#include "event/loop.hpp"
#include "event/output_watch.hpp"
#include "net/cmsg.hpp"
#include "net/datagram_batch.hpp"
#include "net/socket.hpp"
#include "pcap/traffic_filter.hpp"
#include "subcommands/multicast/group.hpp"
#include "subcommands/multicast/records.hpp"
#include "sys/clock.hpp"
#include "sys/error.hpp"
#include "sys/privileges.hpp"

namespace nt::multicast {

namespace {
// Bounds the work per readable event so timers and signals are never starved by a flood.
constexpr int kMaxBatchesPerWakeup = 32;
constexpr std::size_t kMaxSenders = 1024;
constexpr std::size_t kMaxForeignSources = 256;

int64_t wall_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(sys::WallClock::now().time_since_epoch())
      .count();
}

ArrivalInfo read_arrival(const net::ControlMessages& control, int64_t fallback_ns) {
  ArrivalInfo info;
  info.receive_ns = fallback_ns;
  control.for_each([&](const net::Cmsg& c) {
    timespec ts{};
    net::PacketInfo pi;
    if (net::read_timestamp(c, ts)) {
      info.receive_ns = static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
    } else if (net::read_pktinfo(c, pi)) {
      info.ifindex = pi.ifindex;
    } else if (!net::read_hop_limit(c, info.ttl)) {
      (void)net::read_traffic_class(c, info.tos);
    }
  });
  return info;
}

class Receiver {
 public:
  Receiver(const RecvOptions& o, cli::Runtime& rt, net::UniqueFd fd, int needed)
      : opts_(o),
        rt_(rt),
        fd_(std::move(fd)),
        needed_(needed),
        batch_(static_cast<std::size_t>(o.batch), kMaxDatagram + 1),
        senders_(kMaxSenders),
        foreign_(kMaxForeignSources),
        verbose_(rt.out.wants(output::Level::verbose)) {}

  int run() {
    started_ = event::EventLoop::now();
    loop_.add(fd_.get(), EPOLLIN, [this](uint32_t) { drain(); });
    (void)event::stop_when_output_gone(loop_);
    if (opts_.interval_s > 0) schedule_interval(1);
    arm_deadline();
    loop_.run();
    return finish();
  }

 private:
  // The earlier of --timeout (a verdict: timed out) and --duration (the planned end).
  void arm_deadline() {
    const double timeout = opts_.timeout_s.value_or(0);
    const double duration = opts_.duration_s;
    if (timeout <= 0 && duration <= 0) return;
    const bool by_timeout = timeout > 0 && (duration <= 0 || timeout <= duration);
    loop_.add_timer(sys::from_seconds(by_timeout ? timeout : duration),
                    [this, by_timeout] { stop(by_timeout); });
  }

  void stop(bool timed_out) {
    timed_out_ = timed_out;
    loop_.stop();
  }

  void schedule_interval(int n) {
    loop_.add_timer(started_ + sys::from_seconds(opts_.interval_s * n), [this, n] {
      for (const auto& s : senders_.entries()) {
        rt_.out.emit(
            RecvIntervalRecord{*s, opts_.interval_s * n, opts_.interval_s, from_zero(), 0}.to_record());
      }
      schedule_interval(n + 1);
    });
  }

  bool from_zero() const noexcept { return opts_.expect.has_value(); }

  void drain() {
    for (int round = 0; round < kMaxBatchesPerWakeup && !loop_.stopped(); ++round) {
      const int n = batch_.receive(fd_);
      if (n <= 0) return;  // EAGAIN, or an error the next wakeup shows again
      const int64_t now_ns = wall_now_ns();
      for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) handle(i, now_ns);
      if (n < opts_.batch) return;
    }
  }

  void handle(std::size_t i, int64_t now_ns) {
    const auto payload = batch_.payload(i);
    const net::IpAddress addr = net::IpAddress::from_sockaddr(batch_.source(i));
    const uint16_t port = net::SocketAddress(batch_.source(i), batch_.source_len(i)).port();
    Header h;
    const Rejection why = parse_header(payload, batch_.truncated(i), h);
    if (why != Rejection::none) return on_foreign(i, {addr, port, 0}, why, payload.size());
    bool created = false;
    SenderStats* s = senders_.find_or_add(
        {addr, port, h.sender_id},
        [&] {
          SenderStats st;
          st.source = net::SocketAddress(batch_.source(i), batch_.source_len(i)).to_string();
          st.sender_id = h.sender_id;
          return st;
        },
        created);
    if (s == nullptr) return;
    const ArrivalInfo info = read_arrival(batch_.control(i), now_ns);
    const Arrival a = s->add(h, payload.size(), info);
    if (verbose_) {
      const double delay_ms = static_cast<double>(info.receive_ns - h.send_ns) / 1e6;
      rt_.out.emit(DatagramRecord{*s, h.sequence, payload.size(), delay_ms, a}.to_record());
    }
    if (opts_.expect && s->seq.unique() == *opts_.expect && expectation_met()) stop(false);
  }

  void on_foreign(std::size_t i, const SourceKey& key, Rejection why, std::size_t bytes) {
    ++foreign_total_;
    bool created = false;
    ForeignStats* f = foreign_.find_or_add(
        key,
        [&] { return ForeignStats{net::SocketAddress(batch_.source(i), batch_.source_len(i)).to_string()}; },
        created);
    if (f == nullptr) return;
    ++f->datagrams;
    f->bytes += bytes;
    f->reason = why;
    if (created) rt_.out.emit(ForeignRecord{*f, false}.to_record());
  }

  std::size_t complete_senders() const {
    std::size_t n = 0;
    for (const auto& s : senders_.entries()) n += opts_.expect && s->seq.unique() >= *opts_.expect ? 1 : 0;
    return n;
  }
  bool expectation_met() const { return complete_senders() >= static_cast<std::size_t>(needed_); }

  int finish() {
    const uint64_t expected = opts_.expect.value_or(0);
    for (const auto& s : senders_.entries())
      rt_.out.emit(SenderSummaryRecord{*s, from_zero(), expected}.to_record());
    for (const auto& f : foreign_.entries()) rt_.out.emit(ForeignRecord{*f, true}.to_record());
    const bool ok = !opts_.expect || expectation_met();
    const double secs = sys::to_seconds(event::EventLoop::now() - started_);
    rt_.out.emit(RecvResultRecord{ok, senders_.entries().size(), complete_senders(), opts_.expect, needed_,
                                  foreign_total_, senders_.untracked() + foreign_.untracked(), secs,
                                  timed_out_}
                     .to_record());
    return ok ? kExitOk : kExitNegative;
  }

  const RecvOptions& opts_;
  cli::Runtime& rt_;
  net::UniqueFd fd_;
  int needed_;
  net::DatagramBatch batch_;
  SourceTable<SenderStats> senders_;
  SourceTable<ForeignStats> foreign_;
  bool verbose_;
  event::EventLoop loop_;
  event::TimePoint started_{};
  uint64_t foreign_total_ = 0;
  bool timed_out_ = false;
};
}  // namespace

int run_recv(const RecvOptions& opts, cli::Runtime& rt) {
  check_recv(opts);
  const Group group = resolve_group(opts.target, opts.iface, opts.broadcast);
  const std::vector<net::SocketAddress> sources = resolve_sources(opts.sources, group, rt);
  net::UniqueFd fd = open_receiver(group, sources, opts);
  sys::drop_privileges();
  // --pcap: datagrams to the group's port, addressed to the group (any address for 0.0.0.0:PORT).
  rt.capture(capture::TrafficFilter().listener(capture::Transport::udp, group.address));
  std::vector<std::string> names;
  for (const auto& s : sources) names.push_back(s.host());
  rt.out.emit(JoinedRecord{group, names, net::local_address(fd.get()).to_string()}.to_record());
  const int needed = opts.senders.value_or(std::max<int>(1, static_cast<int>(sources.size())));
  Receiver receiver(opts, rt, std::move(fd), needed);
  return receiver.run();
}

}  // namespace nt::multicast
