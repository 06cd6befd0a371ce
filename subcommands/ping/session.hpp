// The multi-host scheduler: one event loop, one ICMP socket per family, every host probed on its own
// interval (first probes spread over one interval so thousands of hosts do not burst at once), each
// probe with its own timeout, replies matched to (address, identifier, sequence).
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <queue>
#include <span>
#include <unordered_map>
#include <vector>

#include "event/loop.hpp"
#include "icmp/codec.hpp"
#include "icmp/receive.hpp"
#include "icmp/socket.hpp"
#include "net/ip_address.hpp"
#include "output/sink.hpp"
#include "pcap/traffic_filter.hpp"
#include "subcommands/ping/host.hpp"
#include "subcommands/ping/options.hpp"
#include "subcommands/ping/records.hpp"
#include "sys/uring.hpp"

namespace nt::ping {

class Session {
 public:
  Session(const Settings& settings, std::vector<Target> targets, std::vector<icmp::IcmpSocket> sockets,
          output::Output& out, RecordStyle style);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // The echo identifiers this session uses (--pcap). Binds datagram sockets so the kernel picks
  // their identifier now, before the first send.
  capture::TrafficFilter own_traffic() const;
  // Until every host is done, the deadline (-w) passes, or SIGINT/SIGTERM.
  void run();
  // Emits per-host summaries (plus a total with several hosts) and returns the exit code.
  int finish();

 private:
  struct Due {
    event::TimePoint when;
    uint32_t host;
    bool operator>(const Due& o) const noexcept { return when > o.when; }
  };
  struct Expiry {
    event::TimePoint when;
    uint32_t host;
    uint64_t number;
  };
  struct Channel {  // one socket and its reusable buffers
    icmp::IcmpSocket socket;
    std::vector<std::byte> request;  // header + payload, rewritten per probe
    uint32_t payload_sum = 0;
    std::size_t hosts = 0;
    uint32_t only_host = 0;  // the channel's first host (the only one when hosts == 1)
  };

  // session.cpp: scheduling
  void start();
  void on_timer();
  void rearm();
  // Queues the host for its h.planned unless it is queued already (see send_due).
  void schedule(uint32_t host);
  void send_due(event::TimePoint now);
  void expire(event::TimePoint now);
  bool still_pending(const Expiry& e) noexcept;
  void drop_settled_expiries();
  void host_sending_done(Host& h);
  bool may_send(const Host& h) const noexcept;
  void check_done();
  // session_io.cpp: the wire
  void send_probe(uint32_t index, event::TimePoint now);
  // sendto with the clocks read right before it; 0 or the errno.
  int transmit(Channel& ch, const Host& h, int64_t& wall, event::TimePoint& mono);
  // transmit through ring_, reading the reply along with the send when it is already queued.
  int transmit_and_read(Channel& ch, const Host& h, int64_t& wall, event::TimePoint& mono);
  void on_readable(Channel& ch, uint32_t events);
  void handle_packet(Channel& ch, std::size_t length, const icmp::Received& meta);
  void handle_reply(Channel& ch, const icmp::Message& m, const icmp::Received& meta, std::size_t bytes);
  void handle_error(Channel& ch, const icmp::Message& m, const net::SocketAddress& from,
                    const struct timespec& when);
  void drain_error_queue(Channel& ch);
  void report_failure(Host& h, Probe& p, const ErrorInfo& info);
  int32_t find_host(const Channel& ch, const net::SocketAddress& addr) const;
  int32_t find_host(const Channel& ch, const net::IpAddress& addr) const;

  const Settings& settings_;
  output::Output& out_;
  RecordStyle style_;
  event::EventLoop loop_;
  std::vector<Host> hosts_;
  std::vector<Channel> channels_;
  std::unordered_map<net::IpAddress, uint32_t, net::IpAddressHash> by_address_;  // ignores port and scope
  std::priority_queue<Due, std::vector<Due>, std::greater<>> due_;
  std::deque<Expiry> expiries_;  // FIFO: every probe has the same timeout and is sent in time order
  // Not zero-filled: 65 KiB of memset is 17 page faults, a third of `ping -c 1`'s own start-up cost.
  std::unique_ptr<std::byte[]> buffer_storage_;
  std::span<std::byte> buffer_;
  // Flood on raw sockets: the send of the next probe and the read of its reply in one system call
  // (on loopback the reply is queued before the send returns). Null without io_uring. A reply read
  // that way waits in buffer_ (prefetched_ bytes) for the next turn of on_readable's loop, which is
  // the only place that lets transmit read (may_prefetch_): nothing else would pick it up.
  std::unique_ptr<sys::SendRecvRing> ring_;
  icmp::PacketReader reader_;
  icmp::Received prefetched_meta_;
  ssize_t prefetched_ = 0;
  std::size_t prefetched_channel_ = 0;
  bool may_prefetch_ = false;
  event::EventLoop::TimerId timer_ = 0;
  event::TimePoint armed_for_{};
  bool armed_ = false;
  std::size_t hosts_sending_ = 0;
  uint64_t outstanding_ = 0;
  event::TimePoint started_{};
  bool deadline_passed_ = false;
};

}  // namespace nt::ping
