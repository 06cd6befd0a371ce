// The wire side of a ping session: sending probes, reading replies and errors, matching them to a
// host and probe. RTT: CLOCK_REALTIME is read right before sendto and compared with the kernel's
// SO_TIMESTAMPNS receive stamp (same clock), so neither our scheduling nor the time spent in epoll
// is counted. If the wall clock stepped in between (the kernel figure is negative or larger than the
// monotonic one), the monotonic measurement (user-space receive) is used instead.
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>

// After <time.h>: it uses struct timespec without including it.
#include <linux/errqueue.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <utility>

#include "icmp/receive.hpp"
#include "net/socket_handle.hpp"
#include "subcommands/ping/icmp_reasons.hpp"
#include "subcommands/ping/session.hpp"
#include "sys/clock.hpp"

namespace nt::ping {

namespace {

constexpr int kReceiveBudget = 1024;  // per readiness callback: more than a timer callback sends

int64_t wall_now_ns() noexcept {
  struct timespec ts {};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

struct timespec wall_now() noexcept {
  struct timespec ts {};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return ts;
}

int64_t ns_of(const struct timespec& ts) noexcept {
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

bool transient(int err) noexcept {
  return err == EAGAIN || err == ENOBUFS || err == ENOMEM;
}

}  // namespace

int32_t Session::find_host(const Channel& ch, const net::SocketAddress& addr) const {
  // One host on this socket: accept any source, as iputils does (a reply to 0.0.0.0 comes from
  // 127.0.0.1); the identifier still has to match on raw sockets. Also spares flood a hash lookup.
  if (ch.hosts == 1) return static_cast<int32_t>(ch.only_host);
  auto it = by_address_.find(net::IpAddress::from_socket(addr));
  return it != by_address_.end() ? static_cast<int32_t>(it->second) : -1;
}

int32_t Session::find_host(const Channel& ch, const net::IpAddress& addr) const {
  auto it = by_address_.find(addr);
  if (it != by_address_.end()) return static_cast<int32_t>(it->second);
  return ch.hosts == 1 ? static_cast<int32_t>(ch.only_host) : -1;
}

int Session::transmit_and_read(Channel& ch, const Host& h, int64_t& wall, event::TimePoint& mono) {
  iovec iov{ch.request.data(), ch.request.size()};
  msghdr out{};
  out.msg_name = const_cast<sockaddr*>(h.target.address.get());
  out.msg_namelen = h.target.address.size();
  out.msg_iov = &iov;
  out.msg_iovlen = 1;
  // The packet being handled is in buffer_ too; handle_reply sends last, after it is done with it.
  reader_.prepare(buffer_, prefetched_meta_);
  wall = wall_now_ns();
  mono = sys::MonoClock::now();
  const auto r = ring_->exchange(ch.socket.fd.get(), out, MSG_NOSIGNAL, reader_.msg, 0);
  if (r.received > 0) {
    reader_.finish(prefetched_meta_);
    prefetched_ = r.received;
    prefetched_channel_ = static_cast<std::size_t>(&ch - channels_.data());
  }
  return r.sent < 0 ? static_cast<int>(-r.sent) : 0;
}

int Session::transmit(Channel& ch, const Host& h, int64_t& wall, event::TimePoint& mono) {
  if (may_prefetch_ && ring_ && ch.socket.raw && !ring_->broken())
    return transmit_and_read(ch, h, wall, mono);
  for (int attempt = 0;; ++attempt) {
    wall = wall_now_ns();
    mono = sys::MonoClock::now();
    const ssize_t n = net::SocketHandle(ch.socket.fd).send_to(ch.request, h.target.address, MSG_DONTWAIT);
    const int err = n < 0 ? static_cast<int>(-n) : 0;
    if (!err || ch.socket.raw || transient(err) || attempt > 0) return err;
    // A ping socket returns a pending asynchronous ICMP error (sk_err) from the next sendto; it
    // belongs to an earlier probe and is on the error queue. Report that, then try this one again.
    drain_error_queue(ch);
  }
}

void Session::send_probe(uint32_t index, event::TimePoint now) {
  Host& h = hosts_[index];
  Channel& ch = channels_[h.socket];
  uint64_t number = h.sent + 1;
  icmp::update_echo_request(ch.socket.family, ch.request, h.ident, static_cast<uint16_t>(number),
                            ch.payload_sum);
  int64_t wall = 0;
  event::TimePoint mono{};
  int err = transmit(ch, h, wall, mono);
  if (transient(err)) {  // socket buffer full: not sent, try again shortly
    h.planned = now + std::chrono::milliseconds(1);
    return schedule(index);
  }
  Probe& p = h.ring.slot(number);
  if (p.state == ProbeState::pending) {  // more in flight than the ring remembers: give the oldest up
    --h.outstanding;
    --outstanding_;
    ++h.timeouts;
  }
  h.sent = number;
  p = Probe{number, mono, wall, err ? ProbeState::failed : ProbeState::pending};
  if (err) {
    ++h.errors;
    if (style_.per_probe)
      out_.emit(
          error_record(ErrorInfo{h.target, "", number, -1, -1, std::strerror(err), wall_now()}, style_));
  } else {
    ++h.outstanding;
    ++outstanding_;
    expiries_.push_back(Expiry{mono + settings_.timeout, index, number});
  }
  if (settings_.count > 0 && !settings_.deadline && h.sent >= settings_.count) return host_sending_done(h);
  h.planned = std::max(h.planned + settings_.interval, now);
  schedule(index);
}

void Session::on_readable(Channel& ch, uint32_t events) {
  if (events & EPOLLERR) drain_error_queue(ch);
  // Flood on a fast path sends the next probe from handle_reply and finds its reply queued by the
  // next recvmsg, so this loop rarely returns. Meanwhile the socket leaves the epoll set: each
  // packet would otherwise wake the epoll twice (reply queued, request freed), about 5% of a
  // loopback flood's CPU (perf: sock_wfree, _raw_spin_unlock_irqrestore).
  const bool park = settings_.flood;
  if (park) loop_.park(ch.socket.fd.get());
  for (int i = 0; i < kReceiveBudget; ++i) {
    icmp::Received meta;
    ssize_t n = 0;
    Channel* from = &ch;
    if (prefetched_ > 0) {  // read along with the last send (transmit_and_read)
      n = std::exchange(prefetched_, 0);
      meta = prefetched_meta_;
      from = &channels_[prefetched_channel_];
    } else {
      n = icmp::receive_packet(ch.socket.fd.get(), buffer_, meta);
      if (n == -EAGAIN || n == -EWOULDBLOCK) break;
      if (n < 0) {
        // Ping sockets hand a pending ICMP error (sk_err) to recvmsg too; the details are queued.
        if (ch.socket.raw) break;
        drain_error_queue(ch);
        continue;
      }
    }
    may_prefetch_ = i + 1 < kReceiveBudget;  // a reply read now is handled by the next turn
    handle_packet(*from, static_cast<std::size_t>(n), meta);
    may_prefetch_ = false;
  }
  if (park) loop_.unpark(ch.socket.fd.get());
  check_done();
  rearm();
}

void Session::handle_packet(Channel& ch, std::size_t length, const icmp::Received& meta) {
  auto packet = std::span<const std::byte>(buffer_).first(length);
  icmp::Message m = icmp::parse(ch.socket.family, packet, ch.socket.raw && ch.socket.family == AF_INET);
  switch (m.kind) {
    case icmp::Kind::echo_reply:
      handle_reply(ch, m, meta, m.payload.size() + icmp::kHeaderSize);
      break;
    case icmp::Kind::error:
      handle_error(ch, m, meta.from, meta.kernel_time.tv_sec ? meta.kernel_time : wall_now());
      break;
    case icmp::Kind::malformed:
    case icmp::Kind::other:
      if (out_.wants(output::Level::verbose)) out_.emit(ignored_record(meta.from, m.problem));
      break;
  }
}

void Session::handle_reply(Channel& ch, const icmp::Message& m, const icmp::Received& meta,
                           std::size_t bytes) {
  int32_t index = find_host(ch, meta.from);
  if (index < 0) return;
  Host& h = hosts_[static_cast<uint32_t>(index)];
  Probe* p = match_probe(h, ch.socket.raw, m.id, m.seq);
  if (!p) return;  // another pinger's, never sent, or forgotten long ago
  auto now = sys::MonoClock::now();
  int64_t mono_ns = (now - p->sent_mono).count();
  int64_t kernel_ns = meta.kernel_time.tv_sec ? ns_of(meta.kernel_time) - p->sent_wall_ns : -1;
  int64_t rtt_ns = kernel_ns >= 0 && kernel_ns <= mono_ns ? kernel_ns : mono_ns;
  double rtt_ms = static_cast<double>(rtt_ns) / 1e6;
  bool intact = !meta.truncated && std::equal(m.payload.begin(), m.payload.end(), settings_.payload.begin(),
                                              settings_.payload.end());
  ReplyInfo r{h.target, meta.from};
  r.seq = p->number;
  r.ttl = m.ttl >= 0 ? m.ttl : meta.ttl;
  r.bytes = bytes;
  r.rtt_ms = rtt_ms;
  r.received = meta.kernel_time.tv_sec ? meta.kernel_time : wall_now();
  r.duplicate = p->state == ProbeState::replied;
  r.bad_checksum = !m.checksum_ok;
  r.corrupted = !intact || r.bad_checksum;
  r.late = p->state == ProbeState::timed_out;
  if (r.corrupted) ++h.corrupted;
  if (r.duplicate) {
    ++h.duplicates;
  } else {
    if (p->state == ProbeState::pending) {
      --h.outstanding;
      --outstanding_;
    }
    p->state = ProbeState::replied;
    drop_settled_expiries();
    ++h.received;
    h.rtt.add_ms(rtt_ms);
  }
  if (style_.per_probe) out_.emit(reply_record(r, style_));
  if (settings_.deadline && settings_.count > 0 && h.received >= settings_.count) host_sending_done(h);
  if (settings_.flood && !r.duplicate && h.outstanding == 0 && may_send(h)) {
    h.planned = now;
    send_probe(static_cast<uint32_t>(index), now);
  }
}

void Session::report_failure(Host& h, Probe& p, const ErrorInfo& info) {
  ++h.errors;
  if (p.state == ProbeState::pending) {
    --h.outstanding;
    --outstanding_;
    p.state = ProbeState::failed;
  }
  if (style_.per_probe) out_.emit(error_record(info, style_));
  if (settings_.flood && h.outstanding == 0 && may_send(h)) {
    // Flood goes on through the due queue (at the latest at its 10 ms fallback): sending from here
    // could meet the next queued error (transmit drains the queue) and recurse once per queued error.
    h.planned = loop_.now();
    schedule(static_cast<uint32_t>(&h - hosts_.data()));
    rearm();
  }
}

void Session::handle_error(Channel& ch, const icmp::Message& m, const net::SocketAddress& from,
                           const struct timespec& when) {
  int32_t index = find_host(ch, m.quoted.destination);
  if (index < 0) return;
  Host& h = hosts_[static_cast<uint32_t>(index)];
  Probe* p = match_probe(h, ch.socket.raw, m.quoted.id, m.quoted.seq);
  if (!p) return;
  std::string reason = describe_error(ch.socket.family, m.type, m.code, m.info);
  report_failure(h, *p, ErrorInfo{h.target, from.host(), p->number, m.type, m.code, reason, when});
}

void Session::drain_error_queue(Channel& ch) {
  for (int i = 0; i < kReceiveBudget; ++i) {
    icmp::ReceivedError meta;
    ssize_t n = icmp::receive_error(ch.socket.fd.get(), buffer_, meta);
    if (n < 0) break;  // -EAGAIN: empty
    if (!meta.has_extended_error) continue;
    auto returned = std::span<const std::byte>(buffer_).first(static_cast<std::size_t>(n));
    icmp::Message q = icmp::parse_own_request(ch.socket.family, returned);
    if (q.kind != icmp::Kind::error) continue;
    int32_t index = find_host(ch, meta.destination);
    if (index < 0) continue;
    Host& h = hosts_[static_cast<uint32_t>(index)];
    Probe* p = h.ring.find(q.quoted.seq);
    if (!p) continue;
    bool from_icmp = meta.origin == SO_EE_ORIGIN_ICMP || meta.origin == SO_EE_ORIGIN_ICMP6;
    ErrorInfo info{h.target, meta.offender.family() ? meta.offender.host() : std::string(), p->number};
    info.icmp_type = from_icmp ? meta.type : -1;
    info.icmp_code = from_icmp ? meta.code : -1;
    info.reason = from_icmp ? describe_error(ch.socket.family, meta.type, meta.code, meta.info)
                            : std::string(std::strerror(meta.error));
    info.when = meta.kernel_time.tv_sec ? meta.kernel_time : wall_now();
    report_failure(h, *p, info);
  }
}

}  // namespace nt::ping
