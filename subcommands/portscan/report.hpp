// The records of a scan: `scan` (what is about to happen), `port` (one per finished probe that is
// shown: open ports, every state with --all), `summary`; plus the --expect-* verdict.
#pragma once
#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "output/sink.hpp"
#include "subcommands/portscan/classify.hpp"
#include "subcommands/portscan/options.hpp"
#include "subcommands/portscan/services.hpp"

namespace nt::portscan {

struct PortResult {
  scan::IpAddress host;
  uint16_t port = 0;
  scan::Verdict verdict{scan::PortState::filtered, "timeout"};
  std::optional<double> rtt_ms;
  std::optional<std::string> banner;  // escaped (scan::escape_bytes); set only with --banner
};

struct ScanTotals {
  double duration_s = 0;
  uint64_t packets_sent = 0;
  uint64_t retransmissions = 0;
  bool interrupted = false;
};

class Reporter {
 public:
  Reporter(output::Output& out, const Plan& plan, scan::ServiceTable services);

  void start(Method method);            // the `scan` record
  void notice(std::string message);     // e.g. the fallback from SYN to connect
  void port(const PortResult& result);  // thread-safe: scan workers report concurrently
  // Emits the summary; returns the exit code (0, or 1 when an expectation failed or the scan was cut short).
  int finish(Method method, const ScanTotals& totals);
  uint64_t finished() const noexcept { return finished_.load(std::memory_order_relaxed); }

 private:
  struct FailedExpectation {
    scan::IpAddress host;
    uint16_t port = 0;
    scan::PortState state = scan::PortState::filtered;
    bool was_open = false;  // an --expect-closed port found open
  };
  static constexpr std::size_t kMaxListedFailures = 100;  // listed; all are counted

  void check_expectations(const PortResult& r);
  void emit_port(const PortResult& r);  // caller holds mu_
  void emit_held();
  output::Json failures_json() const;
  std::string failures_text() const;

  output::Output& out_;
  const Plan& plan_;
  scan::ServiceTable services_;
  // Counted without the lock: two workers refusing ports at 100,000/s each contended on it (perf: 2%
  // of a loopback connect scan in pthread_mutex_lock). The lock guards only the records.
  std::atomic<uint64_t> counts_[4] = {};  // indexed by PortState
  std::atomic<uint64_t> finished_{0};
  std::atomic<uint64_t> expectation_failures_{0};
  std::mutex mu_;
  std::vector<FailedExpectation> failed_;          // the first kMaxListedFailures, under mu_
  std::vector<PortResult> held_;                   // --all in text/list/json: sorted at the end
  std::vector<bool> expect_open_, expect_closed_;  // indexed by port
};

// "host:port" with IPv6 bracketed, for --format list.
std::string host_port(const scan::IpAddress& host, uint16_t port);

}  // namespace nt::portscan
