// The probe scheduler every scan type shares: walks this shard's slice of the seeded permutation,
// paces sends with the token bucket, keeps at most `concurrency` probes in flight, times them out with
// the adaptive RTT estimate, retries, and hands each final verdict to the Reporter. Transports
// (connect, SYN, UDP) only send probes and report replies.
#pragma once
#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <queue>
#include <unordered_map>
#include <vector>

#include "event/loop.hpp"
#include "net/token_bucket.hpp"
#include "subcommands/portscan/classify.hpp"
#include "subcommands/portscan/options.hpp"
#include "subcommands/portscan/pacing.hpp"
#include "subcommands/portscan/report.hpp"

namespace nt::portscan {

struct ProbeKey {
  scan::IpAddress addr;
  uint16_t port = 0;
  bool operator==(const ProbeKey&) const = default;
};
struct ProbeKeyHash {
  std::size_t operator()(const ProbeKey& k) const noexcept {
    return scan::IpAddressHash{}(k.addr) * 31 + k.port;
  }
};

struct Probe {
  ProbeKey key;
  uint64_t host_index = 0;
  int attempt = 0;  // 0 for the first send
  event::TimePoint sent{};
};

class Transport {
 public:
  enum class Status { sent, busy, done };
  struct SendResult {
    Status status;
    std::optional<scan::Verdict> verdict = std::nullopt;  // for done
  };
  virtual ~Transport() = default;
  virtual SendResult send(const Probe& probe) = 0;
  virtual void abandon(const Probe&) {}  // timed out: release what the probe holds
  // Before probes are declared timed out: handle the replies already received but still queued, so
  // our own backlog (a wide window on a fast path) is never mistaken for silence.
  virtual void settle_ready() {}
  // After a pump: sends that the transport batched go out now.
  virtual void flush() {}
  virtual std::size_t extra_work() const { return 0; }  // descriptors busy beyond probes (banners)
  virtual bool udp() const { return false; }
};

// One engine per worker thread (each with its own loop and transport): worker w of W takes the
// shard's positions w, w+W, w+2W, … so workers split the shard exactly like shards split the scan.
struct WorkerSlice {
  uint64_t index = 0;
  uint64_t count = 1;
};

class Engine {
 public:
  Engine(event::EventLoop& loop, const Plan& plan, Reporter& reporter, std::size_t concurrency,
         WorkerSlice slice = {}, double rate = 0);
  void run(Transport& transport);  // returns when done or interrupted
  void interrupt() noexcept;       // thread-safe: stops the loop, marks the scan interrupted

  const Probe* find(const ProbeKey& key) const;
  // A reply settled the probe: removes it, samples the RTT, returns the RTT in ms (nullopt if unknown
  // probe). With `report` false the caller reports later (after a banner read) via report().
  std::optional<double> complete(const ProbeKey& key, scan::Verdict verdict, event::TimePoint when,
                                 bool report = true);
  void report(const PortResult& result) { reporter_.port(result); }
  void pump();  // transports call it when descriptors free up

  uint64_t packets_sent() const noexcept { return packets_sent_.load(std::memory_order_relaxed); }
  uint64_t retransmissions() const noexcept { return retransmissions_.load(std::memory_order_relaxed); }
  bool interrupted() const noexcept { return interrupted_.load(); }

 private:
  struct Deadline {
    event::TimePoint when;
    ProbeKey key;
    int attempt;
    bool operator>(const Deadline& o) const { return when > o.when; }
  };
  std::optional<Probe> next_probe();
  bool send_one(Probe probe);
  void on_expiry();
  bool live_deadline_due(event::TimePoint now);
  void arm_expiry(event::TimePoint when);
  void schedule_pump(event::Duration after);
  void check_done();

  event::EventLoop& loop_;
  const Plan& plan_;
  Reporter& reporter_;
  Transport* transport_ = nullptr;
  scan::Permutation permutation_;
  net::TokenBucket bucket_;
  scan::RttEstimator rtt_;
  scan::ProbeWindow window_;
  uint64_t next_position_ = 0;
  uint64_t total_ = 0;
  std::deque<Probe> retry_queue_;
  std::unordered_map<ProbeKey, Probe, ProbeKeyHash> in_flight_;
  std::priority_queue<Deadline, std::vector<Deadline>, std::greater<>> deadlines_;
  std::optional<event::EventLoop::TimerId> expiry_timer_, pump_timer_;
  event::TimePoint expiry_at_{};
  WorkerSlice slice_;
  std::atomic<uint64_t> packets_sent_{0}, retransmissions_{0};
  std::atomic<bool> interrupted_{false};
  bool pumping_ = false;
};

}  // namespace nt::portscan
