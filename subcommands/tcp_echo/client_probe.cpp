// Probe mode: N round trips of B random bytes, one at a time, each timed and checked byte for byte.
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <span>
#include <vector>

#include "net/io.hpp"
#include "output/latency.hpp"
#include "subcommands/tcp_echo/client.hpp"
#include "subcommands/tcp_echo/pattern.hpp"
#include "subcommands/tcp_echo/records.hpp"
#include "sys/clock.hpp"
#include "sys/error.hpp"
#include "sys/signals.hpp"

namespace nt::tcp_echo {

namespace {

constexpr int kDefaultCount = 5;
constexpr const char* kDefaultSize = "64";

enum class Outcome { echoed, mismatch, interrupted, failed };

// One probe's transfer: how far it got, and the error (-errno, -ETIMEDOUT) that stopped it, if any.
struct Transfer {
  std::size_t sent = 0;
  std::size_t received = 0;  // short of the probe size without an error: the server closed
  ssize_t error = 0;
};

// Sends the probe while reading its echo. Sending it all first would deadlock on a probe larger than
// the socket buffers of both ends: the echo server stops reading from a client that does not take
// its echo (backpressure), so neither side moves. `timeout` bounds each wait without progress.
Transfer exchange(int fd, std::span<const std::byte> out, std::span<std::byte> in,
                  std::chrono::milliseconds timeout) {
  Transfer t;
  auto stopped_by = [&t](ssize_t error) {
    t.error = error;
    return t;
  };
  while (t.received < in.size()) {
    ssize_t n = t.sent < out.size() ? net::try_send(fd, out.subspan(t.sent)) : -EAGAIN;
    if (n >= 0) t.sent += static_cast<std::size_t>(n);
    if (n < 0 && n != -EAGAIN) return stopped_by(n);
    ssize_t m = net::try_recv(fd, in.subspan(t.received));
    if (m == 0) return t;  // EOF before the whole echo
    if (m > 0) t.received += static_cast<std::size_t>(m);
    if (m < 0 && m != -EAGAIN) return stopped_by(m);
    if (n > 0 || m > 0) continue;
    auto events = static_cast<short>(POLLIN | (t.sent < out.size() ? POLLOUT : 0));
    int ready = net::wait_ready(fd, events, timeout);
    if (ready == 0) return stopped_by(-ETIMEDOUT);
    if (ready < 0) return stopped_by(ready);
  }
  return t;
}

struct Probe {
  int fd;
  std::chrono::milliseconds timeout;
  std::vector<std::byte> payload;
  std::vector<std::byte> echo;
  uint64_t rng;
  std::string failure;  // why the connection broke (Outcome::failed)
  sys::MonoClock::duration rtt{};

  Outcome round_trip(int seq) {
    fill_random(payload, rng);
    auto t0 = sys::MonoClock::now();
    Transfer t = exchange(fd, payload, echo, timeout);
    rtt = sys::MonoClock::now() - t0;
    if (t.error < 0)
      return fail(t.error, seq, t.sent < payload.size() ? "sending" : "waiting for the echo of");
    if (t.received < echo.size()) {
      failure = fmt::format("server closed the connection after echoing {} of {} bytes of probe {}",
                            t.received, echo.size(), seq);
      return Outcome::failed;
    }
    return std::memcmp(payload.data(), echo.data(), echo.size()) == 0 ? Outcome::echoed : Outcome::mismatch;
  }

  Outcome fail(ssize_t r, int seq, const char* doing) {
    if (r == -EINTR) return Outcome::interrupted;
    failure = fmt::format("{} probe {}: {}", doing, seq, transfer_error(r));
    return Outcome::failed;
  }
};

}  // namespace

int run_probe(const ClientOptions& opts, cli::Runtime& rt, const Target& target) {
  int count = opts.count.value_or(kDefaultCount);
  std::size_t size = parse_size(opts.size.empty() ? kDefaultSize : opts.size, "--size");
  double interval = opts.interval_s.value_or(1.0);
  auto t0 = sys::MonoClock::now();
  net::Connection conn = connect_target(target, false);
  std::string peer = conn.peer.to_string();
  rt.out.emit(ConnectedEvent{peer, sys::to_ms(sys::MonoClock::now() - t0), "probe"}.to_record());
  auto seed = static_cast<uint64_t>(t0.time_since_epoch().count());
  Probe probe{
      conn.fd.get(), target.timeout, std::vector<std::byte>(size), std::vector<std::byte>(size), seed, {}};
  output::LatencySummary rtt;
  ProbeSummary summary{peer, 0, 0, 0, &rtt};
  for (int seq = 1; seq <= count && !sys::termination_requested(); ++seq) {
    ++summary.sent;
    Outcome outcome = probe.round_trip(seq);
    if (outcome == Outcome::interrupted) --summary.sent;  // cut short by the user, not lost
    if (outcome == Outcome::interrupted || outcome == Outcome::failed) break;
    ++summary.received;
    summary.mismatches += outcome == Outcome::mismatch;
    double ms = sys::to_ms(probe.rtt);
    rtt.add_ms(ms);
    rt.out.emit(ReplyEvent{peer, seq, size, ms, outcome == Outcome::echoed}.to_record());
    if (seq < count && sys::sleep_unless_terminated(sys::from_seconds(interval))) break;
  }
  rt.out.emit(summary.to_record());
  if (!probe.failure.empty()) throw Error(kExitNegative, probe.failure);
  if (summary.mismatches > 0) {
    throw Error(kExitNegative, fmt::format("{} of {} echoes differed from what was sent", summary.mismatches,
                                           summary.received));
  }
  return summary.received == summary.sent ? kExitOk : kExitNegative;
}

}  // namespace nt::tcp_echo
