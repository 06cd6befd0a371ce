// nettool portscan: finds open TCP and UDP ports on many hosts, nmap-compatible in its port states
// (open, closed, filtered, open|filtered, each with a reason), fast in the masscan way (a seeded
// pseudo-random target×port order, a token-bucket rate cap, shards that split one permutation).
//   connect scan (default without privilege): non-blocking connect(2) on the event loop (RFC 9293).
//   SYN scan (default with CAP_NET_RAW; --syn): crafted SYNs over raw sockets (RFC 791, RFC 8200,
//     RFC 9293), replies read through libpcap and a BPF filter on the scan's own port; never completes
//     a handshake. CAP_NET_RAW is dropped once the raw sockets and the capture are open.
//   UDP scan (--udp): datagrams with DNS (RFC 1035) and SNTP (RFC 4330) payloads where it helps;
//     ICMP port unreachable (RFC 792, RFC 4443) read through IP_RECVERR. No privilege.
#include "subcommands/portscan/portscan.hpp"

#include <CLI/CLI.hpp>

#include "subcommands/portscan/options.hpp"
#include "subcommands/portscan/run.hpp"

namespace nt::portscan {

namespace {

void add_scan_options(CLI::App& app, Options& o) {
  app.add_option("targets", o.targets,
                 "hosts, addresses, CIDR blocks (10.0.0.0/24, fd00::/120), ranges (10.0.0.1-20)");
  app.add_option_function<std::string>(
      "-p,--ports",
      [&o](const std::string& value) {
        o.ports = value;
        o.ports_given = true;
      },
      "ports: 22,80,8000-8100; '-' for 1-65535 (default: --top 1000)");
  app.add_option_function<long>(
      "--top",
      [&o](long n) {
        o.top = n;
        o.top_given = true;
      },
      "the N most often open ports (nmap-services ranking; default: 1000 when -p is not given)");
  app.add_flag("--syn", o.syn, "SYN scan (raw socket + libpcap; needs CAP_NET_RAW; default when held)");
  app.add_flag("--connect", o.connect, "TCP connect scan (no privilege; default otherwise)");
  app.add_flag("--udp", o.udp, "UDP scan");
  app.add_option("--file", o.file, "read targets from FILE, one per line (# comments; default: none)");
  app.add_option("--exclude", o.exclude,
                 "addresses, CIDR blocks or ranges to skip (comma-separated; default: none)");
  app.add_flag("--no-default-exclude", o.no_default_exclude,
               "also scan multicast, reserved and documentation ranges (skipped by default)");
  app.add_option("--max-targets", o.max_targets,
                 "addresses outside loopback and private ranges a scan may reach (default 65536)");
}

void add_timing_options(CLI::App& app, Options& o) {
  app.add_option("--rate", o.rate, "cap packets per second (default: 0, no cap)");
  app.add_option("--concurrency", o.concurrency,
                 "probes in flight at most (default: what RLIMIT_NOFILE allows)");
  app.add_option("--timeout", o.timeout_s, "ceiling of the adaptive per-probe timeout, seconds (default 1)");
  app.add_option("--retries", o.retries, "re-sends before a silent port counts as filtered (default 2)");
  app.add_option("--shard", o.shard,
                 "scan shard K of N (K counts from 1) of the permutation; needs --seed (default: all)");
  app.add_option("--seed", o.seed, "seed of the target×port permutation (default: random)");
}

void add_report_options(CLI::App& app, Options& o) {
  app.add_flag("--banner", o.banner, "read what open TCP services say first (512 bytes, --timeout)");
  app.add_flag("--all", o.all, "report every port, not only open ones");
  app.add_option("--expect-open", o.expect_open,
                 "exit 1 unless these ports are open on every target (default: none)");
  app.add_option("--expect-closed", o.expect_closed,
                 "exit 1 if any of these ports is open on a target (default: none)");
}

}  // namespace

cli::RunFn setup(CLI::App& app) {
  auto opts = std::make_shared<Options>();
  add_scan_options(app, *opts);
  add_timing_options(app, *opts);
  add_report_options(app, *opts);
  return [opts](cli::Runtime& rt) { return run(*opts, rt); };
}

}  // namespace nt::portscan
