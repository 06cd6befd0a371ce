#include "subcommands/portscan/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "sys/clock.hpp"
#include "sys/error.hpp"

namespace nt::portscan {

namespace {

output::Tone tone_of(scan::PortState s) {
  switch (s) {
    case scan::PortState::open:
      return output::Tone::good;
    case scan::PortState::closed:
      return output::Tone::dim;
    default:
      return output::Tone::warn;
  }
}

std::string shard_text(const scan::Shard& s) {
  return fmt::format("{}/{}", s.index, s.count);
}

}  // namespace

std::string host_port(const scan::IpAddress& host, uint16_t port) {
  return host.family == AF_INET6 ? fmt::format("[{}]:{}", host.to_string(), port)
                                 : fmt::format("{}:{}", host.to_string(), port);
}

Reporter::Reporter(output::Output& out, const Plan& plan, scan::ServiceTable services)
    : out_(out), plan_(plan), services_(std::move(services)), expect_open_(65536), expect_closed_(65536) {
  for (auto p : plan.expect_open) expect_open_[p] = true;
  for (auto p : plan.expect_closed) expect_closed_[p] = true;
}

void Reporter::start(Method method) {
  output::Record rec("scan");
  rec.set("method", to_string(method))
      .set("proto", plan_.proto())
      .set("targets", plan_.targets.size())
      .set("ports", plan_.ports.size())
      .set("probes", plan_.probes())
      .set("shard", shard_text(plan_.shard))
      .set("seed", plan_.seed)
      .set("time", sys::now_rfc3339());
  rec.with_text(
      fmt::format(
          "Scanning {} host(s) × {} port(s), {} scan, shard {}, seed {}\n{:<39} {:<13} {:<15} {:<16} {}",
          plan_.targets.size(), plan_.ports.size(), to_string(method), shard_text(plan_.shard), plan_.seed,
          "HOST:PORT", "STATE", "SERVICE", "REASON", "RTT"),
      output::Tone::dim);
  out_.emit(std::move(rec));
}

void Reporter::notice(std::string message) {
  output::Record rec("notice");
  rec.set("message", message).with_text("note: " + message, output::Tone::warn);
  out_.emit(std::move(rec));
}

void Reporter::check_expectations(const PortResult& r) {
  const bool open = r.verdict.state == scan::PortState::open;
  if (!(expect_open_[r.port] && !open) && !(expect_closed_[r.port] && open)) return;
  expectation_failures_.fetch_add(1, std::memory_order_relaxed);
  std::lock_guard lock(mu_);
  if (failed_.size() < kMaxListedFailures) failed_.push_back({r.host, r.port, r.verdict.state, open});
}

void Reporter::port(const PortResult& r) {
  counts_[static_cast<int>(r.verdict.state)].fetch_add(1, std::memory_order_relaxed);
  check_expectations(r);
  finished_.fetch_add(1, std::memory_order_relaxed);
  const bool open = r.verdict.state == scan::PortState::open;
  if (!open && !plan_.all) return;
  std::lock_guard lock(mu_);
  if (plan_.sorted_output) {
    held_.push_back(r);  // emitted by host, then port, before the summary
    return;
  }
  emit_port(r);
}

void Reporter::emit_held() {
  std::lock_guard lock(mu_);
  std::sort(held_.begin(), held_.end(), [](const PortResult& a, const PortResult& b) {
    return std::tuple(a.host.family, a.host.number(), a.port) <
           std::tuple(b.host.family, b.host.number(), b.port);
  });
  for (const auto& r : held_) emit_port(r);
  held_.clear();
}

void Reporter::emit_port(const PortResult& r) {
  const bool open = r.verdict.state == scan::PortState::open;
  const std::string_view service = services_.lookup(r.port, plan_.proto());
  output::Record rec("port");
  rec.set("host", r.host.to_string()).set("port", r.port).set("proto", plan_.proto());
  rec.set("state", scan::to_string(r.verdict.state)).set("reason", r.verdict.reason).set("service", service);
  if (r.rtt_ms) rec.set("rtt_ms", *r.rtt_ms);
  if (r.banner) rec.set("banner", *r.banner);
  std::string text =
      fmt::format("{:<39} {:<13} {:<15} {:<16} {}", host_port(r.host, r.port) + "/" + plan_.proto(),
                  scan::to_string(r.verdict.state), service.empty() ? "-" : service, r.verdict.reason,
                  r.rtt_ms ? fmt::format("{:.2f} ms", *r.rtt_ms) : "-");
  if (r.banner && !r.banner->empty()) text += fmt::format("\n    banner: {}", *r.banner);
  rec.with_text(std::move(text), tone_of(r.verdict.state));
  if (open) rec.list_item = host_port(r.host, r.port);
  out_.emit(std::move(rec));
}

output::Json Reporter::failures_json() const {
  auto list = output::Json::array();
  for (const auto& f : failed_)
    list.push_back({{"host", f.host.to_string()},
                    {"port", f.port},
                    {"state", scan::to_string(f.state)},
                    {"expected", f.was_open ? "closed" : "open"}});
  return list;
}

std::string Reporter::failures_text() const {
  std::string text;
  for (const auto& f : failed_)
    text += fmt::format("{}{} {} (expected {})", text.empty() ? "" : ", ", host_port(f.host, f.port),
                        scan::to_string(f.state), f.was_open ? "closed" : "open");
  if (expectation_failures_.load() > failed_.size()) text += ", …";
  return text;
}

int Reporter::finish(Method method, const ScanTotals& t) {
  using scan::PortState;
  const auto count = [&](PortState s) { return counts_[static_cast<int>(s)].load(); };
  emit_held();
  const uint64_t expectation_failures = expectation_failures_.load();
  const double rate = t.duration_s > 0 ? static_cast<double>(t.packets_sent) / t.duration_s : 0.0;
  output::Record rec("summary");
  rec.set("method", to_string(method)).set("proto", plan_.proto());
  rec.set("targets", plan_.targets.size()).set("ports", plan_.ports.size());
  rec.set("probes", plan_.probes()).set("finished", finished());
  rec.set("open", count(PortState::open)).set("closed", count(PortState::closed));
  rec.set("filtered", count(PortState::filtered)).set("open_filtered", count(PortState::open_filtered));
  rec.set("duration_s", t.duration_s).set("packets_sent", t.packets_sent);
  rec.set("retransmissions", t.retransmissions).set("rate_pps", rate);
  rec.set("shard", shard_text(plan_.shard)).set("seed", plan_.seed);
  rec.set("interrupted", t.interrupted).set("expectations_failed", expectation_failures);
  std::string text = fmt::format("{} open, {} closed, {} filtered", count(PortState::open),
                                 count(PortState::closed), count(PortState::filtered));
  if (method == Method::udp) text += fmt::format(", {} open|filtered", count(PortState::open_filtered));
  text += fmt::format(" — {} of {} probes in {:.2f} s, {} packets ({:.0f}/s)", finished(), plan_.probes(),
                      t.duration_s, t.packets_sent, rate);
  if (t.interrupted) text += " (interrupted)";
  rec.set("failed_expectations", failures_json());
  if (expectation_failures)
    text += fmt::format("; {} expectation(s) failed: {}", expectation_failures, failures_text());
  const bool failed = expectation_failures > 0 || t.interrupted;
  rec.with_text(std::move(text), failed ? output::Tone::bad : output::Tone::bold).essential();
  out_.emit(std::move(rec));
  return failed ? kExitNegative : kExitOk;
}

}  // namespace nt::portscan
