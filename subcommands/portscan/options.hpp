// What the user asked for (Options, bound by setup) and what it means (Plan, validated and resolved).
#pragma once
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "subcommands/portscan/permutation.hpp"
#include "subcommands/portscan/targets.hpp"

namespace nt::portscan {

enum class Method { connect, syn, udp };
std::string_view to_string(Method m) noexcept;

struct Options {
  std::vector<std::string> targets;
  std::string ports;         // -p
  bool ports_given = false;  // -p present (an empty value is an error, not the default)
  long top = 0;              // --top N
  bool top_given = false;    // --top present (0 is an error, not the default)
  bool syn = false, connect = false, udp = false;
  double rate = 0;         // packets per second, 0 = unlimited
  long concurrency = 0;    // 0 = as many as RLIMIT_NOFILE allows
  double timeout_s = 1.0;  // ceiling of the adaptive per-probe timeout
  int retries = 2;
  std::vector<std::string> exclude;
  bool no_default_exclude = false;  // scan special-purpose ranges too (scope.hpp)
  int64_t max_targets = 65536;      // addresses beyond loopback and private ranges
  std::string file;                 // --file: targets, one per line (# comments)
  bool banner = false;
  bool all = false;
  std::string shard;  // K/N
  std::string seed;   // decimal; random when absent (required with --shard)
  std::string expect_open, expect_closed;
};

struct Plan {
  Method method = Method::connect;
  bool method_chosen = false;  // --syn/--connect/--udp given (no silent fallback then)
  scan::TargetSet targets;
  std::vector<uint16_t> ports;
  uint64_t seed = 0;
  scan::Shard shard;
  double rate = 0;
  std::size_t concurrency = 0;  // 0: decided by the scanner from RLIMIT_NOFILE
  std::chrono::nanoseconds timeout{};
  int retries = 0;
  bool banner = false;
  bool all = false;
  bool sorted_output = false;  // --all outside jsonl: port records held, printed by host then port
  std::vector<uint16_t> expect_open, expect_closed;

  uint64_t universe() const noexcept { return targets.size() * ports.size(); }  // hosts × ports
  uint64_t probes() const noexcept { return shard.size_of(universe()); }        // this shard's share
  const char* proto() const noexcept { return method == Method::udp ? "udp" : "tcp"; }
};

// Validates and resolves everything; throws UsageError (one line naming the input) or RuntimeError
// (a name that does not resolve).
Plan build_plan(const Options& opts, const cli::GlobalOptions& global);

}  // namespace nt::portscan
