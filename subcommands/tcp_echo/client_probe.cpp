// Probe mode: N round trips of B random bytes, one at a time, each timed and checked byte for byte.
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <span>
#include <vector>

#include "net/io.hpp"
#include "net/stream.hpp"
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

// One probe's transfer: how far it got, and what stopped it, if anything (an error, ETIMEDOUT, EINTR).
struct Transfer {
  std::size_t sent = 0;
  std::size_t received = 0;  // short of the probe size without an error: the server closed
  net::IoResult error{};     // ok unless a call failed
};

// What the stream waits for before the next step: the read side always, the write side while the
// probe is not all sent (each as the stream asked: a TLS read may wait for writability).
short wanted_events(const net::IoResult& last_read, const net::IoResult& last_write, bool sending) {
  auto events_of = [](const net::IoResult& r) -> short {
    return r.status == net::IoResult::Status::want_write ? POLLOUT : POLLIN;
  };
  return static_cast<short>(events_of(last_read) | (sending ? events_of(last_write) : 0));
}

// Sends the probe while reading its echo. Sending it all first would deadlock on a probe larger than
// the socket buffers of both ends: the echo server stops reading from a client that does not take
// its echo (backpressure), so neither side moves. `timeout` bounds each wait without progress.
Transfer exchange(net::Stream& stream, std::span<const std::byte> out, std::span<std::byte> in,
                  std::chrono::milliseconds timeout) {
  Transfer t;
  auto stopped_by = [&t](net::IoResult r) {
    t.error = r;
    return t;
  };
  net::IoResult w{net::IoResult::Status::want_write, 0, 0};
  while (t.received < in.size()) {
    bool sending = t.sent < out.size();
    if (sending) w = stream.write(out.subspan(t.sent));
    if (sending && w.ok()) t.sent += w.bytes;
    if (sending && w.status == net::IoResult::Status::error) return stopped_by(w);
    net::IoResult r = stream.read(in.subspan(t.received));
    if (r.status == net::IoResult::Status::eof) return t;  // EOF before the whole echo
    if (r.ok()) t.received += r.bytes;
    if (r.status == net::IoResult::Status::error) return stopped_by(r);
    if ((sending && w.bytes > 0) || r.bytes > 0) continue;
    int ready = net::wait_ready(stream.fd(), wanted_events(r, w, t.sent < out.size()), timeout);
    if (ready == 0) return stopped_by(net::IoResult::failed(ETIMEDOUT));
    if (ready < 0) return stopped_by(net::IoResult::failed(-ready));
  }
  return t;
}

struct Probe {
  net::Stream& stream;
  std::chrono::milliseconds timeout;
  std::vector<std::byte> payload;
  std::vector<std::byte> echo;
  uint64_t rng;
  std::string failure;  // why the connection broke (Outcome::failed)
  sys::MonoClock::duration rtt{};

  Outcome round_trip(int seq) {
    fill_random(payload, rng);
    auto t0 = sys::MonoClock::now();
    Transfer t = exchange(stream, payload, echo, timeout);
    rtt = sys::MonoClock::now() - t0;
    if (t.error.status == net::IoResult::Status::error)
      return fail(t.error, seq, t.sent < payload.size() ? "sending" : "waiting for the echo of");
    if (t.received < echo.size()) {
      failure = fmt::format("server closed the connection after echoing {} of {} bytes of probe {}",
                            t.received, echo.size(), seq);
      return Outcome::failed;
    }
    return std::memcmp(payload.data(), echo.data(), echo.size()) == 0 ? Outcome::echoed : Outcome::mismatch;
  }

  Outcome fail(const net::IoResult& r, int seq, const char* doing) {
    if (r.error == EINTR) return Outcome::interrupted;
    failure = fmt::format("{} probe {}: {}", doing, seq, stream_error(stream, r));
    return Outcome::failed;
  }
};

}  // namespace

int run_probe(const ClientOptions& opts, cli::Runtime& rt, const Target& target) {
  int count = opts.count.value_or(kDefaultCount);
  std::size_t size = parse_size(opts.size.empty() ? kDefaultSize : opts.size, "--size");
  double interval = opts.interval_s.value_or(1.0);
  auto t0 = sys::MonoClock::now();
  ClientStream conn = net::connect_stream(target);
  std::string peer = conn.peer.to_string();
  rt.out.emit(ConnectedEvent{peer, sys::to_ms(sys::MonoClock::now() - t0), "probe"}.to_record());
  if (auto rec = tls::client_tls_record(*conn.stream, peer, false)) rt.out.emit(std::move(*rec));
  auto seed = static_cast<uint64_t>(t0.time_since_epoch().count());
  Probe probe{
      *conn.stream, target.timeout, std::vector<std::byte>(size), std::vector<std::byte>(size), seed, {}};
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
