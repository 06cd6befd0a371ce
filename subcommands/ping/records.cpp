#include "subcommands/ping/records.hpp"

#include <fmt/format.h>

#include <ctime>

#include "sys/clock.hpp"

namespace nt::ping {

namespace {

using output::Json;
using output::Record;
using output::Tone;

struct timespec wall_now() noexcept {
  struct timespec ts {};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return ts;
}

// -D: iputils' "[1732521600.123456] " prefix.
std::string prefix(const RecordStyle& style, const struct timespec& ts) {
  if (!style.timestamps) return {};
  return fmt::format("[{}.{:06}] ", ts.tv_sec, ts.tv_nsec / 1000);
}

Json nullable(int value) {
  return value < 0 ? Json(nullptr) : Json(value);
}

std::string ms(double v) {
  return fmt::format("{:.3f}", v);
}

void put_counts(Record& rec, uint64_t tx, uint64_t rx, uint64_t dup, uint64_t corrupt, uint64_t err,
                uint64_t tmo) {
  rec.set("transmitted", tx).set("received", rx).set("duplicates", dup).set("corrupted", corrupt);
  rec.set("errors", err).set("timeouts", tmo).set("loss_percent", loss_percent(tx, rx));
}

std::string counts_text(uint64_t tx, uint64_t rx, uint64_t dup, uint64_t corrupt, uint64_t err) {
  std::string s = fmt::format("{} packets transmitted, {} received", tx, rx);
  if (dup) s += fmt::format(", +{} duplicates", dup);
  if (corrupt) s += fmt::format(", +{} corrupted", corrupt);
  if (err) s += fmt::format(", +{} errors", err);
  return s + fmt::format(", {:g}% packet loss", loss_percent(tx, rx));
}

std::string rtt_text(const output::LatencySummary& s, bool with_jitter) {
  if (s.empty()) return {};
  std::string t = fmt::format("\nrtt min/avg/max/mdev = {}/{}/{}/{} ms", ms(s.min_ms()), ms(s.avg_ms()),
                              ms(s.max_ms()), ms(s.mdev_ms()));
  t += fmt::format("\nrtt p50/p90/p99 = {}/{}/{} ms", ms(s.percentile_ms(50)), ms(s.percentile_ms(90)),
                   ms(s.percentile_ms(99)));
  if (with_jitter) t += fmt::format(", jitter = {} ms", ms(s.jitter_ms()));
  return t;
}

}  // namespace

double loss_percent(uint64_t transmitted, uint64_t received) noexcept {
  if (transmitted == 0 || received >= transmitted) return 0.0;
  return static_cast<double>(transmitted - received) * 100.0 / static_cast<double>(transmitted);
}

std::string display_name(const Target& t) {
  std::string addr = t.address.host();
  return t.is_name && t.name != addr ? fmt::format("{} ({})", t.name, addr) : addr;
}

Record start_record(const std::vector<Host>& hosts, std::size_t payload, const char* socket_kind,
                    const RecordStyle& style) {
  Record rec("start");
  rec.set("hosts", hosts.size()).set("payload_bytes", payload).set("socket", socket_kind);
  bool v6 = !hosts.empty() && hosts.front().target.address.family() == AF_INET6;
  std::string size =
      v6 ? fmt::format("{} data bytes", payload) : fmt::format("{}({}) bytes of data", payload, payload + 28);
  if (hosts.size() == 1) {
    const Target& t = hosts.front().target;
    rec.set("host", t.name).set("address", t.address.host());
    rec.with_text(
        fmt::format("{}PING {} ({}) {}.", prefix(style, wall_now()), t.name, t.address.host(), size));
  } else {
    rec.with_text(fmt::format("{}PING {} hosts, {}.", prefix(style, wall_now()), hosts.size(), size));
  }
  return std::move(rec.essential());
}

Record reply_record(const ReplyInfo& r, const RecordStyle& style) {
  Record rec("reply");
  rec.set("host", r.target.name).set("from", r.from.host()).set("seq", r.seq).set("ttl", nullable(r.ttl));
  rec.set("bytes", r.bytes).set("rtt_ms", r.rtt_ms).set("timestamp", sys::rfc3339(r.received));
  rec.set("duplicate", r.duplicate).set("corrupted", r.corrupted).set("bad_checksum", r.bad_checksum);
  rec.set("late", r.late);
  std::string from = r.from.host() == r.target.address.host() ? display_name(r.target) : r.from.host();
  std::string text =
      fmt::format("{}{} bytes from {}: icmp_seq={}", prefix(style, r.received), r.bytes, from, r.seq);
  if (r.ttl >= 0) text += fmt::format(" ttl={}", r.ttl);
  text += fmt::format(" time={} ms", ms(r.rtt_ms));
  if (r.duplicate) text += " (DUP!)";
  if (r.bad_checksum) text += " (BAD CHECKSUM!)";
  if (r.corrupted && !r.bad_checksum) text += " (wrong data)";
  if (r.late) text += " (late)";
  rec.with_text(std::move(text), r.duplicate || r.corrupted ? Tone::warn : Tone::plain);
  rec.level = style.probe_level;
  return rec;
}

Record timeout_record(const Target& t, uint64_t seq, double timeout_ms, const RecordStyle& style) {
  auto now = wall_now();
  Record rec("timeout");
  rec.set("host", t.name).set("address", t.address.host()).set("seq", seq).set("timeout_ms", timeout_ms);
  rec.set("timestamp", sys::rfc3339(now));
  std::string who = style.multi_host ? display_name(t) + ": " : std::string();
  rec.with_text(fmt::format("{}{}no answer yet for icmp_seq={}", prefix(style, now), who, seq), Tone::dim);
  rec.level = style.probe_level;
  return rec;
}

Record error_record(const ErrorInfo& e, const RecordStyle& style) {
  Record rec("error");
  rec.set("host", e.target.name).set("address", e.target.address.host());
  rec.set("from", e.from.empty() ? Json(nullptr) : Json(e.from)).set("seq", e.seq);
  rec.set("icmp_type", nullable(e.icmp_type)).set("icmp_code", nullable(e.icmp_code)).set("reason", e.reason);
  rec.set("timestamp", sys::rfc3339(e.when));
  std::string text;
  if (e.from.empty()) {
    text = fmt::format("{}{}: icmp_seq={} send failed: {}", prefix(style, e.when), display_name(e.target),
                       e.seq, e.reason);
  } else {
    text = fmt::format("{}From {} icmp_seq={} {}", prefix(style, e.when), e.from, e.seq, e.reason);
    if (style.multi_host) text += fmt::format(" (probing {})", display_name(e.target));
  }
  rec.with_text(std::move(text), Tone::bad);
  rec.level = style.probe_level;
  return rec;
}

Record unresolved_record(const TargetError& e, const RecordStyle& /*style*/) {
  Record rec("error");
  rec.set("host", e.name).set("address", nullptr).set("from", nullptr).set("seq", nullptr);
  rec.set("icmp_type", nullptr).set("icmp_code", nullptr).set("reason", e.reason);
  rec.set("timestamp", sys::rfc3339(wall_now()));
  // No text: the people's line ("resolving 'name': cause") goes to stderr (Runtime::warn), as iputils'.
  return std::move(rec.essential());
}

Record ignored_record(const net::SocketAddress& from, const char* why) {
  Record rec("ignored");
  rec.set("from", from.host()).set("reason", why);
  rec.with_text(fmt::format("ignored a packet from {}: {}", from.host(), why), Tone::dim);
  rec.level = output::Level::verbose;
  return rec;
}

Record summary_record(const Host& h, double duration_s, const RecordStyle& style) {
  Record rec("summary");
  rec.set("scope", "host").set("host", h.target.name).set("address", h.target.address.host());
  put_counts(rec, h.sent, h.received, h.duplicates, h.corrupted, h.errors, h.timeouts);
  h.rtt.put(rec, "rtt_ms");
  rec.set("jitter_ms", h.rtt.count() >= 2 ? Json(h.rtt.jitter_ms()) : Json(nullptr));
  rec.set("duration_s", duration_s);
  if (h.received > 0) rec.list_item = h.target.address.host();
  Tone tone = h.received == 0 ? Tone::bad : (h.received < h.sent ? Tone::warn : Tone::good);
  if (style.multi_host) {
    std::string text = fmt::format("{} : xmt/rcv/%loss = {}/{}/{:g}%", display_name(h.target), h.sent,
                                   h.received, loss_percent(h.sent, h.received));
    if (!h.rtt.empty())
      text +=
          fmt::format(", min/avg/max = {}/{}/{}", ms(h.rtt.min_ms()), ms(h.rtt.avg_ms()), ms(h.rtt.max_ms()));
    rec.with_text(std::move(text), tone);
  } else {
    std::string text = fmt::format("\n--- {} ping statistics ---\n{}, time {}ms", h.target.name,
                                   counts_text(h.sent, h.received, h.duplicates, h.corrupted, h.errors),
                                   static_cast<long long>(duration_s * 1000));
    rec.with_text(text + rtt_text(h.rtt, h.rtt.count() >= 2), tone);
  }
  return std::move(rec.essential());
}

Record total_record(const std::vector<Host>& hosts, uint64_t required, double duration_s) {
  uint64_t tx = 0, rx = 0, dup = 0, corrupt = 0, err = 0, tmo = 0, alive = 0, ok = 0;
  output::LatencySummary all;
  for (const auto& h : hosts) {
    tx += h.sent, rx += h.received, dup += h.duplicates, corrupt += h.corrupted, err += h.errors,
        tmo += h.timeouts;
    alive += h.received > 0;
    ok += h.received >= required;
    all.merge(h.rtt);
  }
  Record rec("summary");
  rec.set("scope", "total").set("hosts", hosts.size()).set("hosts_alive", alive).set("hosts_ok", ok);
  put_counts(rec, tx, rx, dup, corrupt, err, tmo);
  all.put(rec, "rtt_ms");
  rec.set("duration_s", duration_s);
  std::string text =
      fmt::format("\n--- {} hosts, {} alive ---\n{}, time {}ms", hosts.size(), alive,
                  counts_text(tx, rx, dup, corrupt, err), static_cast<long long>(duration_s * 1000));
  rec.with_text(text + rtt_text(all, false), ok == hosts.size() ? Tone::good : Tone::warn);
  return std::move(rec.essential());
}

}  // namespace nt::ping
