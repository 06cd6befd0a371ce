#include "subcommands/ping/session.hpp"

#include <sys/epoll.h>

#include <algorithm>
#include <cstdlib>
#include <random>

#include "sys/clock.hpp"
#include "sys/error.hpp"
#include "wire/checksum.hpp"

namespace nt::ping {

namespace {

constexpr auto kMaxStartGap = std::chrono::microseconds(20);  // first probes: at most 50k/s
constexpr int kSendBudget = 256;  // sends per timer callback: replies get read before the buffer fills

constexpr std::size_t kRememberedProbes = std::size_t{1} << 20;  // all hosts together: 32 MiB
constexpr std::size_t kBufferBytes = 65536 + 1024;  // the largest IP datagram, and ancillary room

// Probes a host can have in flight, doubled so answered ones are still recognised as duplicates;
// bounded per run so -i 0 towards thousands of hosts cannot take the memory with it.
std::size_t ring_capacity(const Settings& s, std::size_t hosts) {
  std::size_t in_flight = 65536;
  if (s.interval.count() > 0) in_flight = static_cast<std::size_t>(s.timeout / s.interval) + 2;
  std::size_t cap = std::min<std::size_t>(in_flight, 32768) * 2;
  if (s.count > 0 && !s.deadline) cap = std::min<std::size_t>(cap, s.count + 1);
  return std::min(cap, kRememberedProbes / std::max<std::size_t>(hosts, 1));
}

}  // namespace

Session::Session(const Settings& settings, std::vector<Target> targets, std::vector<icmp::IcmpSocket> sockets,
                 output::Output& out, RecordStyle style)
    : settings_(settings),
      out_(out),
      style_(style),
      buffer_storage_(std::make_unique_for_overwrite<std::byte[]>(kBufferBytes)),
      buffer_(buffer_storage_.get(), kBufferBytes) {
  // The io_uring send+receive is opt-in: on Linux 6.18 here plain sendto/recvmsg flooded faster
  // (tests/bench/ping.sh, same-CPU pairs against iputils: 1.04x plain, 0.94x io_uring).
  const char* uring = std::getenv("NETTOOL_PING_IO_URING");
  if (settings.flood && uring != nullptr && std::string_view(uring) == "1") ring_ = sys::SendRecvRing::open();
  for (auto& s : sockets) {
    Channel ch;
    icmp::encode_echo_request(s.family, 0, 0, settings.payload, ch.request);
    ch.payload_sum = wire::checksum_add(0, settings.payload);
    ch.socket = std::move(s);
    channels_.push_back(std::move(ch));
  }
  // A random base keeps two concurrent runs on raw sockets apart; each host adds its own index.
  auto base = static_cast<uint16_t>(std::random_device{}());
  std::size_t capacity = ring_capacity(settings, targets.size());
  hosts_.reserve(targets.size());
  for (auto& t : targets) {
    std::size_t ci = 0;
    while (ci + 1 < channels_.size() && channels_[ci].socket.family != t.address.family()) ++ci;
    Channel& ch = channels_[ci];
    auto index = static_cast<uint32_t>(hosts_.size());
    if (ch.hosts++ == 0) ch.only_host = index;
    by_address_.emplace(net::IpAddress::from_socket(t.address), index);
    hosts_.emplace_back(std::move(t), ci, static_cast<uint16_t>(base + ch.hosts - 1), capacity);
  }
}

void Session::start() {
  started_ = loop_.now();
  bool any_raw =
      std::any_of(channels_.begin(), channels_.end(), [](const Channel& c) { return c.socket.raw; });
  bool all_raw =
      std::all_of(channels_.begin(), channels_.end(), [](const Channel& c) { return c.socket.raw; });
  const char* kind = all_raw ? "raw" : (any_raw ? "mixed" : "dgram");
  out_.emit(start_record(hosts_, settings_.payload.size(), kind, style_));
  auto n = static_cast<int64_t>(std::max<std::size_t>(hosts_.size(), 1));
  Duration gap = std::min<Duration>(settings_.interval / n, kMaxStartGap);
  for (uint32_t i = 0; i < hosts_.size(); ++i) {
    hosts_[i].planned = started_ + gap * i;
    schedule(i);
  }
  hosts_sending_ = hosts_.size();
  for (auto& ch : channels_) {
    loop_.add(ch.socket.fd.get(), EPOLLIN, [this, &ch](uint32_t events) { on_readable(ch, events); });
  }
  if (settings_.deadline) {
    loop_.add_timer(*settings_.deadline, [this] {
      deadline_passed_ = true;
      loop_.stop();
    });
  }
  rearm();
}

void Session::run() {
  start();
  check_done();
  if (!loop_.stopped()) loop_.run();
}

void Session::schedule(uint32_t host) {
  Host& h = hosts_[host];
  if (h.queued) return;
  h.queued = true;
  due_.push(Due{h.planned, host});
}

bool Session::may_send(const Host& h) const noexcept {
  return !h.sending_done && !deadline_passed_;
}

void Session::host_sending_done(Host& h) {
  if (h.sending_done) return;
  h.sending_done = true;
  --hosts_sending_;
}

void Session::check_done() {
  if (hosts_sending_ == 0 && outstanding_ == 0) loop_.stop();
}

void Session::on_timer() {
  armed_ = false;
  auto now = loop_.now();
  expire(now);
  send_due(now);
  check_done();
  rearm();
}

void Session::send_due(event::TimePoint now) {
  for (int budget = kSendBudget; budget > 0 && !due_.empty() && due_.top().when <= now; --budget) {
    Due d = due_.top();
    due_.pop();
    Host& h = hosts_[d.host];
    h.queued = false;
    if (!may_send(h)) continue;
    // Flood moves planned later with every reply; rather than a heap push per echo, an entry
    // that comes due early is queued again for the current plan.
    if (h.planned > now) {
      schedule(d.host);
      continue;
    }
    send_probe(d.host, now);
  }
}

void Session::expire(event::TimePoint now) {
  while (!expiries_.empty() && expiries_.front().when <= now) {
    Expiry e = expiries_.front();
    expiries_.pop_front();
    if (!still_pending(e)) continue;
    Host& h = hosts_[e.host];
    Probe& p = h.ring.slot(e.number);
    p.state = ProbeState::timed_out;
    --h.outstanding;
    --outstanding_;
    ++h.timeouts;
    if (style_.per_probe)
      out_.emit(timeout_record(h.target, e.number, sys::to_ms(settings_.timeout), style_));
  }
}

bool Session::still_pending(const Expiry& e) noexcept {
  const Probe& p = hosts_[e.host].ring.slot(e.number);
  return p.number == e.number && p.state == ProbeState::pending;
}

// Answered probes leave their expiry behind until its time; dropping those at the front keeps the
// queue as short as what is in flight (a flood would otherwise hold one entry per echo of the timeout).
void Session::drop_settled_expiries() {
  while (!expiries_.empty() && !still_pending(expiries_.front())) expiries_.pop_front();
}

void Session::rearm() {
  auto next = event::TimePoint::max();
  if (!due_.empty()) next = due_.top().when;
  if (!expiries_.empty()) next = std::min(next, expiries_.front().when);
  if (next == event::TimePoint::max() || (armed_ && armed_for_ <= next)) return;
  if (armed_) loop_.cancel_timer(timer_);
  timer_ = loop_.add_timer(next, [this] { on_timer(); });
  armed_for_ = next;
  armed_ = true;
}

int Session::finish() {
  double duration = sys::to_seconds(loop_.now() - started_);
  for (const auto& h : hosts_) out_.emit(summary_record(h, duration, style_));
  if (style_.multi_host) out_.emit(total_record(hosts_, settings_.required_replies, duration));
  bool all = std::all_of(hosts_.begin(), hosts_.end(),
                         [&](const Host& h) { return h.received >= settings_.required_replies; });
  return all ? kExitOk : kExitNegative;
}

}  // namespace nt::ping
