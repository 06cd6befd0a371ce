#include "subcommands/portscan/engine.hpp"

#include <algorithm>

#include "sys/clock.hpp"

namespace nt::portscan {

namespace {
// One pump sends at most this many probes before the loop reads replies again, so a fast sender
// cannot starve the receive side (whose buffers are finite).
constexpr int kBatch = 256;
// The adaptive timeout never drops below this: a loaded scanner host delays its own reads too.
constexpr std::chrono::milliseconds kTimeoutFloor{100};
// Replies slower than the fastest by more than this waited in a queue: the window shrinks (see
// scan::ProbeWindow). Well below the timeout floor, so queueing never grows into false timeouts.
constexpr std::chrono::milliseconds kQueueingAllowance{20};
// The window never shrinks below this many probes because of delay or timeouts, and starts at
// kWindowStart: a scan finds its pace within a few round trips without a first burst of a whole
// window (on loopback that burst is only queueing, and one socket per probe of it).
constexpr std::size_t kWindowFloor = 16, kWindowStart = 256;

uint64_t slice_size(uint64_t n, WorkerSlice s) {
  return n > s.index ? (n - s.index + s.count - 1) / s.count : 0;
}
}  // namespace

Engine::Engine(event::EventLoop& loop, const Plan& plan, Reporter& reporter, std::size_t concurrency,
               WorkerSlice slice, double rate)
    : loop_(loop),
      plan_(plan),
      reporter_(reporter),
      permutation_(plan.universe(), plan.seed),
      bucket_(rate),
      rtt_(kTimeoutFloor, plan.timeout),
      window_(concurrency, kWindowFloor, kQueueingAllowance, kWindowStart),
      total_(slice_size(plan.probes(), slice)),
      slice_(slice) {}

void Engine::interrupt() noexcept {
  interrupted_ = true;
  loop_.stop();
}

void Engine::run(Transport& transport) {
  transport_ = &transport;
  loop_.on_signal([this](int) { interrupt(); });
  schedule_pump(event::Duration(0));
  loop_.run();
  transport_ = nullptr;
}

std::optional<Probe> Engine::next_probe() {
  if (!retry_queue_.empty()) {
    Probe p = retry_queue_.front();
    retry_queue_.pop_front();
    return p;
  }
  if (next_position_ >= total_) return std::nullopt;
  const uint64_t flat = permutation_.at(plan_.shard.position(slice_.index + slice_.count * next_position_++));
  const uint64_t host = flat / plan_.ports.size();
  return Probe{{plan_.targets.at(host), plan_.ports[flat % plan_.ports.size()]}, host, 0, {}};
}

// False when the transport is out of resources: the probe is queued again and pumping pauses.
bool Engine::send_one(Probe probe) {
  probe.sent = loop_.now();
  const auto result = transport_->send(probe);
  if (result.status == Transport::Status::busy) {
    retry_queue_.push_front(probe);
    window_.cap(in_flight_.size() + transport_->extra_work());
    schedule_pump(std::chrono::milliseconds(10));
    return false;
  }
  ++packets_sent_;
  if (probe.attempt > 0) ++retransmissions_;
  if (result.status == Transport::Status::done) {
    reporter_.port(PortResult{probe.key.addr, probe.key.port, *result.verdict,
                              sys::to_ms(loop_.now() - probe.sent), std::nullopt});
    return true;
  }
  const auto deadline = probe.sent + rtt_.timeout();
  in_flight_[probe.key] = probe;
  deadlines_.push({deadline, probe.key, probe.attempt});
  if (!expiry_timer_ || deadline < expiry_at_) arm_expiry(deadline);
  return true;
}

void Engine::pump() {
  if (!transport_ || pumping_ || loop_.stopped()) return;
  pumping_ = true;
  for (int sent = 0; sent < kBatch; ++sent) {
    if (in_flight_.size() + transport_->extra_work() >= window_.limit()) break;
    if (retry_queue_.empty() && next_position_ >= total_) break;
    if (auto wait = bucket_.wait(loop_.now()); wait.count() > 0) {
      schedule_pump(wait);
      break;
    }
    (void)bucket_.try_take(loop_.now());
    if (!send_one(*next_probe())) break;
    if (sent + 1 == kBatch) schedule_pump(event::Duration(0));
  }
  transport_->flush();
  pumping_ = false;
  check_done();
}

void Engine::schedule_pump(event::Duration after) {
  if (pump_timer_) return;
  pump_timer_ = loop_.add_timer(after, [this] {
    pump_timer_.reset();
    pump();
  });
}

void Engine::arm_expiry(event::TimePoint when) {
  if (expiry_timer_) loop_.cancel_timer(*expiry_timer_);
  expiry_at_ = when;
  expiry_timer_ = loop_.add_timer(when, [this] {
    expiry_timer_.reset();
    on_expiry();
  });
}

// Answered and re-sent probes leave their deadlines behind: true once the earliest one left is live.
bool Engine::live_deadline_due(event::TimePoint now) {
  while (!deadlines_.empty() && deadlines_.top().when <= now) {
    auto it = in_flight_.find(deadlines_.top().key);
    if (it != in_flight_.end() && it->second.attempt == deadlines_.top().attempt) return true;
    deadlines_.pop();
  }
  return false;
}

void Engine::on_expiry() {
  // Only when a probe is really about to time out: settling costs the connect scan its socket reuse.
  if (live_deadline_due(loop_.now())) transport_->settle_ready();
  const auto now = loop_.now();
  bool expired = false;
  while (live_deadline_due(now)) {
    auto it = in_flight_.find(deadlines_.top().key);
    deadlines_.pop();
    Probe probe = it->second;
    in_flight_.erase(it);
    transport_->abandon(probe);
    expired = true;
    if (probe.attempt < plan_.retries) {
      ++probe.attempt;
      retry_queue_.push_back(probe);
    } else {
      reporter_.port(PortResult{probe.key.addr, probe.key.port, scan::silence_verdict(transport_->udp()),
                                std::nullopt, std::nullopt});
    }
  }
  if (!deadlines_.empty()) arm_expiry(deadlines_.top().when);
  // A timeout may be a filtered port or a lost packet (a full queue on the path, loopback's backlog
  // included): back off multiplicatively, as TCP does (RFC 5681).
  if (expired) window_.on_timeout();
  pump();
}

const Probe* Engine::find(const ProbeKey& key) const {
  auto it = in_flight_.find(key);
  return it == in_flight_.end() ? nullptr : &it->second;
}

std::optional<double> Engine::complete(const ProbeKey& key, scan::Verdict verdict, event::TimePoint when,
                                       bool report) {
  auto it = in_flight_.find(key);
  if (it == in_flight_.end()) return std::nullopt;
  const auto rtt = when - it->second.sent;
  // Karn's rule (RFC 6298 §3): only first transmissions give unambiguous samples.
  if (it->second.attempt == 0) {
    rtt_.sample(rtt);
    window_.on_reply(rtt);
  }
  in_flight_.erase(it);
  const double rtt_ms = sys::to_ms(rtt);
  if (report) reporter_.port(PortResult{key.addr, key.port, verdict, rtt_ms, std::nullopt});
  if (!pumping_) schedule_pump(event::Duration(0));
  return rtt_ms;
}

void Engine::check_done() {
  if (next_position_ >= total_ && retry_queue_.empty() && in_flight_.empty() &&
      transport_->extra_work() == 0) {
    loop_.stop();
  }
}

}  // namespace nt::portscan
