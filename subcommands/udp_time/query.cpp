#include "subcommands/udp_time/query.hpp"

#include <poll.h>
#include <sys/random.h>

#include <cerrno>
#include <cstring>

#include "net/io.hpp"
#include "subcommands/udp_time/daytime.hpp"
#include "subcommands/udp_time/sntp_validate.hpp"
#include "sys/clock.hpp"

namespace nt::udp_time {

namespace tp = timeproto;

namespace {
uint64_t seed() noexcept {
  uint64_t s = 0;
  if (::getrandom(&s, sizeof s, 0) != static_cast<ssize_t>(sizeof s)) {
    s = static_cast<uint64_t>(tp::wall_now_ns()) ^ static_cast<uint64_t>(::getpid());
  }
  return s;
}

// RFC 868 and daytime carry whole seconds: the server's true time lies somewhere in that second, so
// its middle is the best estimate.
constexpr int64_t kHalfSecondNs = tp::kNsPerS / 2;

void fill_plain_sample(Sample& s, int64_t server_ns, bool whole_seconds, int64_t t1_ns, int64_t t4_ns) {
  int64_t mid = t1_ns + (t4_ns - t1_ns) / 2;
  s.server_time_ns = server_ns;
  s.offset_s = static_cast<double>(server_ns + (whole_seconds ? kHalfSecondNs : 0) - mid) / 1e9;
  s.delay_s = static_cast<double>(t4_ns - t1_ns) / 1e9;
}
}  // namespace

Querier::Querier(int fd, tp::Protocol protocol, int ntp_version, Report report)
    : fd_(fd), protocol_(protocol), ntp_version_(ntp_version), report_(std::move(report)), rng_(seed()) {}

int Querier::send_request(int64_t& t1_ns, uint64_t& cookie) {
  tp::NtpBytes bytes{};
  std::span<const std::byte> payload;  // daytime and time: an empty datagram (RFC 867/868 UDP)
  if (protocol_ == tp::Protocol::sntp) {
    // A random transmit timestamp: it reveals nothing about our clock and is the cookie the
    // reply's origin must echo (chrony does the same).
    do cookie = rng_();
    while (cookie == 0);
    tp::NtpPacket req;
    req.version = static_cast<uint8_t>(ntp_version_);
    req.mode = tp::Mode::client;
    req.transmit = tp::NtpTimestamp{cookie};
    bytes = tp::encode(req);
    payload = bytes;
  }
  t1_ns = tp::wall_now_ns();
  ssize_t n = net::try_send(fd_, payload);
  return n >= 0 ? 0 : static_cast<int>(-n);
}

bool Querier::interpret_sntp(std::span<const std::byte> data, int64_t t1_ns, int64_t t4_ns, uint64_t cookie,
                             AttemptResult& out) {
  tp::CheckedReply r = tp::check_reply(data, tp::NtpTimestamp{cookie});
  if (r.verdict == tp::ReplyVerdict::ok) {
    const tp::NtpPacket& p = *r.packet;
    auto od =
        tp::offset_delay(tp::ntp_from_unix_ns(t1_ns), p.receive, p.transmit, tp::ntp_from_unix_ns(t4_ns));
    // A negative delay means the server claims more time inside it than the round trip took: a lie
    // that would always win the lowest-delay choice (issue 16.8).
    if (od.delay_s < 0) {
      out.reason = "negative_delay";
      report_({"rejected", seq_, attempt_, out.reason, std::nullopt});
      out.outcome = Outcome::unusable;
      return true;
    }
    out.outcome = Outcome::sample;
    out.sample.offset_s = od.offset_s;
    out.sample.delay_s = od.delay_s;
    out.sample.server_time_ns = tp::unix_ns_from_ntp(p.transmit, t4_ns);
    out.sample.packet = p;
    return true;
  }
  out.reason = tp::verdict_name(r.verdict);
  // Not an answer to our request: stale, duplicated or forged. Note it and keep waiting.
  if (r.verdict == tp::ReplyVerdict::too_short || r.verdict == tp::ReplyVerdict::wrong_origin) {
    report_({"rejected", seq_, attempt_, out.reason, std::nullopt});
    return false;
  }
  if (tp::is_kod(r.verdict)) {
    report_({"kod", seq_, attempt_, out.reason, std::nullopt});
    out.outcome = r.verdict == tp::ReplyVerdict::kod_rate ? Outcome::kod_rate : Outcome::kod_stop;
    return true;
  }
  report_({"rejected", seq_, attempt_, out.reason, std::nullopt});
  out.outcome = Outcome::unusable;
  return true;
}

bool Querier::interpret(std::span<const std::byte> data, int64_t t1_ns, int64_t t4_ns, uint64_t cookie,
                        AttemptResult& out) {
  if (protocol_ == tp::Protocol::sntp) return interpret_sntp(data, t1_ns, t4_ns, cookie, out);
  if (protocol_ == tp::Protocol::time) {
    if (data.size() != 4) {
      report_({"rejected", seq_, attempt_, "malformed", std::nullopt});
      return false;
    }
    uint32_t v = 0;
    for (std::byte b : data) v = (v << 8) | std::to_integer<uint32_t>(b);
    fill_plain_sample(out.sample, tp::unix_ns_from_rfc868(v, t4_ns), true, t1_ns, t4_ns);
  } else {
    std::string text(reinterpret_cast<const char*>(data.data()), data.size());
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == '\0'))
      text.pop_back();
    if (text.empty()) {
      report_({"rejected", seq_, attempt_, "malformed", std::nullopt});
      return false;
    }
    out.sample.text = text;
    auto parsed = tp::parse_daytime(text);
    out.sample.has_offset = parsed.has_value();
    fill_plain_sample(out.sample, parsed.value_or(0), parsed && *parsed % tp::kNsPerS == 0, t1_ns, t4_ns);
  }
  out.outcome = Outcome::sample;
  return true;
}

// A reply to an earlier attempt that arrived after its timeout must not answer this one: daytime and
// time have no cookie to tell them apart (SNTP would reject it as wrong_origin), so whatever is queued
// before the new request goes out is dropped. Bounded: the queue is read at most kMaxStale times.
void Querier::discard_late_replies() {
  constexpr int kMaxStale = 64;
  std::array<std::byte, 1024> buf{};
  for (int i = 0; i < kMaxStale; ++i) {
    ssize_t n = net::try_recv(fd_, buf);
    if (n == -EAGAIN || n == -EINTR) return;
    if (n >= 0) report_({"rejected", seq_, attempt_, "late_reply", std::nullopt});
  }
}

AttemptResult Querier::attempt(int seq, int attempt, std::chrono::nanoseconds timeout) {
  seq_ = seq;
  attempt_ = attempt;
  AttemptResult out;
  out.sample.seq = seq;
  out.sample.attempt = attempt;
  int64_t t1_ns = 0;
  uint64_t cookie = 0;
  discard_late_replies();
  if (int err = send_request(t1_ns, cookie); err != 0) {
    out.reason = std::strerror(err);
    return out;
  }
  auto deadline = sys::MonoClock::now() + timeout;
  std::array<std::byte, 1024> buf{};
  for (;;) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - sys::MonoClock::now());
    if (left.count() <= 0) break;
    int ready = net::wait_ready(fd_, POLLIN, left);
    if (ready == -EINTR) return {Outcome::interrupted, {}, "interrupted"};
    if (ready <= 0) break;
    ssize_t n = net::try_recv(fd_, buf);
    int64_t t4_ns = tp::wall_now_ns();
    if (n == -EAGAIN) continue;
    if (n < 0) {
      // ECONNREFUSED: an ICMP port unreachable came back to our connected socket.
      out.outcome = n == -ECONNREFUSED ? Outcome::refused : Outcome::timeout;
      out.reason = n == -ECONNREFUSED ? "refused" : std::strerror(static_cast<int>(-n));
      return out;
    }
    if (interpret(std::span(buf.data(), static_cast<std::size_t>(n)), t1_ns, t4_ns, cookie, out)) return out;
  }
  out.outcome = Outcome::timeout;
  out.reason = "timeout";
  return out;
}

}  // namespace nt::udp_time
