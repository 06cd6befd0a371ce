#include "subcommands/udp_time/client.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

#include "net/endpoint.hpp"
#include "net/io.hpp"
#include "net/resolver.hpp"
#include "net/socket.hpp"
#include "pcap/traffic_filter.hpp"
#include "net/socket_handle.hpp"
#include "subcommands/udp_time/backoff.hpp"
#include "subcommands/udp_time/query.hpp"
#include "subcommands/udp_time/records.hpp"
#include "sys/clock.hpp"
#include "sys/error.hpp"
#include "sys/privileges.hpp"
#include "sys/signals.hpp"

namespace nt::udp_time {

namespace tp = timeproto;
using std::chrono::nanoseconds;

namespace {
constexpr nanoseconds kMaxBackoff = std::chrono::seconds(30);
// Each RATE kiss doubles the pause between samples (RFC 5905 §7.4: the client must slow down). Capped
// at the largest --interval, so a server that keeps kissing cannot overflow it (2^63 ns after ~35
// doublings from 1 s) nor turn it into years.
constexpr nanoseconds kMaxInterval = std::chrono::seconds(3600);

net::SocketAddress target_address(const ClientOptions& o, tp::Protocol proto, int family) {
  if (o.target.empty()) {
    throw UsageError("missing server: nettool udp-time HOST[:PORT] (or nettool udp-time server)");
  }
  net::EndpointRules rules;
  rules.require_port = false;
  rules.allow_local = false;
  rules.default_port = tp::standard_port(proto);
  net::Endpoint ep = net::parse_endpoint(o.target, rules);
  if (ep.port == 0) throw UsageError(fmt::format("invalid address '{}': port 0", o.target));
  return net::resolve(ep, {family, SOCK_DGRAM, false}).front();
}

// daytime (RFC 867) and time (RFC 868) carry whole seconds: a tighter --max-offset would fail at
// random on a synchronised clock (issue 18.10), so it is refused rather than silently loosened.
void check_max_offset(const ClientOptions& o, tp::Protocol proto) {
  if (!o.max_offset_s || proto == tp::Protocol::sntp) return;
  constexpr double kWholeSecond = 1.0;
  if (*o.max_offset_s < kWholeSecond) {
    throw UsageError(
        fmt::format("invalid --max-offset '{}': {} has a resolution of 1 second; use 1 or more "
                    "(or --protocol sntp)",
                    *o.max_offset_s, proto == tp::Protocol::daytime ? "daytime" : "time"));
  }
}

net::UniqueFd connected_socket(const net::SocketAddress& addr) {
  net::UniqueFd fd = net::make_socket(addr.family(), SOCK_DGRAM, 0, true);
  if (const int rc = net::SocketHandle(fd).connect(addr); rc != 0) {
    throw RuntimeError(fmt::format("connecting UDP socket to {}: {}", addr, std::strerror(-rc)));
  }
  return fd;
}

class Client {
 public:
  Client(const ClientOptions& o, cli::Runtime& rt, tp::Protocol proto, const net::SocketAddress& server,
         int fd)
      : o_(o),
        rt_(rt),
        proto_(proto),
        server_(server.to_string()),
        querier_(fd, proto, o.ntp_version, [this](const ClientEventRecord& r) { report(r); }),
        interval_(sys::from_seconds(o.interval_s)) {}

  int run() {
    for (int seq = 1; seq <= o_.count && !stopped_; ++seq) {
      take_sample(seq);
      if (seq < o_.count && !stopped_ && sys::sleep_unless_terminated(interval_)) stopped_ = true;
    }
    return finish();
  }

 private:
  void report(const ClientEventRecord& r) {
    if (r.type == "kod" || rt_.out.wants(output::Level::verbose)) rt_.out.emit(r.to_record());
  }

  void take_sample(int seq) {
    nanoseconds timeout = sys::from_seconds(o_.timeout_s);
    for (int attempt = 1; attempt <= o_.retries + 1; ++attempt) {
      ++sent_;
      AttemptResult r = querier_.attempt(seq, attempt, timeout);
      if (r.outcome == Outcome::sample) {
        record_sample(r.sample);
        return;
      }
      last_failure_ = r.reason;
      if (r.outcome == Outcome::kod_rate) kod_ = "RATE";
      if (r.outcome == Outcome::kod_stop) kod_ = kod_code(r.reason);
      if (r.outcome == Outcome::kod_stop || r.outcome == Outcome::interrupted) stopped_ = true;
      if (stopped_ || r.outcome == Outcome::unusable || attempt > o_.retries) return;
      if (!back_off(seq, attempt, r)) return;
    }
  }

  // Pauses before the next attempt; a RATE kiss also slows every later sample down.
  bool back_off(int seq, int attempt, const AttemptResult& r) {
    nanoseconds base = sys::from_seconds(o_.timeout_s);
    if (r.outcome == Outcome::kod_rate) {
      base = std::max(base, interval_) * 2;
      interval_ = std::clamp<nanoseconds>(interval_ * 2, std::chrono::seconds(1), kMaxInterval);
    }
    std::uniform_real_distribution<double> jitter(0.0, 1.0);
    nanoseconds wait = tp::backoff_delay(attempt - 1, base, kMaxBackoff, jitter(querier_.rng()));
    report({"retry", seq, attempt, r.reason, sys::to_seconds(wait)});
    if (!sys::sleep_unless_terminated(wait)) return true;
    stopped_ = true;
    return false;
  }

  static std::string kod_code(const std::string& verdict) {
    if (verdict == "kod_deny") return "DENY";
    if (verdict == "kod_rstr") return "RSTR";
    return "other";
  }

  void record_sample(const Sample& s) {
    ++valid_;
    if (!best_ || s.delay_s < best_->delay_s) best_ = s;  // the lowest-delay sample wins
    kod_.clear();                                         // a RATE we got past does not fail the run
    rt_.out.emit(SampleRecord{s, server_, proto_}.to_record());
  }

  int finish() {
    const Sample* best = best_ ? &*best_ : nullptr;
    bool exceeded =
        best && o_.max_offset_s && (!best->has_offset || std::fabs(best->offset_s) > *o_.max_offset_s);
    ResultRecord result{server_,         proto_,   best,
                        valid_,          sent_,    kod_,
                        o_.max_offset_s, exceeded, best ? std::string() : last_failure_};
    rt_.out.emit(result.to_record());
    return (best && kod_.empty() && !exceeded) ? kExitOk : kExitNegative;
  }

  const ClientOptions& o_;
  cli::Runtime& rt_;
  tp::Protocol proto_;
  std::string server_;
  Querier querier_;
  nanoseconds interval_;
  std::optional<Sample> best_;
  int valid_ = 0;
  int sent_ = 0;
  bool stopped_ = false;
  std::string kod_;
  std::string last_failure_;
};
}  // namespace

int run_client(const ClientOptions& opts, cli::Runtime& rt) {
  tp::Protocol proto = parse_protocol(opts.protocol);
  check_max_offset(opts, proto);
  net::SocketAddress server = target_address(opts, proto, rt.global.family);
  net::UniqueFd fd = connected_socket(server);
  rt.capture(capture::TrafficFilter().conversation(capture::Transport::udp, server,
                                                   net::local_address(fd.get()).port()));
  sys::drop_privileges();  // a connected UDP socket is all it needs
  Client client(opts, rt, proto, server, fd.get());
  return client.run();
}

}  // namespace nt::udp_time
