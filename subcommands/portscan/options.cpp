#include "subcommands/portscan/options.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <random>

#include "cli/validate.hpp"
#include "net/resolver.hpp"
#include "net/target_file.hpp"
#include "subcommands/portscan/ports.hpp"
#include "sys/error.hpp"

namespace nt::portscan {

std::string_view to_string(Method m) noexcept {
  switch (m) {
    case Method::connect:
      return "connect";
    case Method::syn:
      return "syn";
    case Method::udp:
      return "udp";
  }
  return "connect";
}

namespace {

std::vector<std::string> split_commas(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) {
    std::size_t start = 0;
    while (start <= item.size()) {
      auto comma = item.find(',', start);
      if (comma == std::string::npos) comma = item.size();
      if (comma > start) out.push_back(item.substr(start, comma - start));
      start = comma + 1;
    }
  }
  return out;
}

std::vector<scan::IpAddress> resolve_name(const std::string& name, int family) {
  std::vector<scan::IpAddress> out;
  for (const auto& sa : net::resolve_host(name, family)) out.push_back(scan::IpAddress::from_socket(sa));
  return out;
}

scan::TargetSet build_targets(const Options& opts, int family) {
  std::vector<std::string> specs = opts.targets;
  if (!opts.file.empty()) {
    auto more = net::read_target_file(opts.file);
    specs.insert(specs.end(), more.begin(), more.end());
  }
  if (specs.empty()) throw UsageError("no targets: give at least one TARGET or --file");
  std::vector<scan::TargetRange> ranges;
  for (const auto& spec : specs) {
    auto r = scan::parse_target(spec, family, resolve_name);
    ranges.insert(ranges.end(), r.begin(), r.end());
  }
  std::vector<scan::TargetRange> excluded;
  for (const auto& spec : split_commas(opts.exclude)) {
    auto r = scan::parse_numeric_target(spec);
    excluded.insert(excluded.end(), r.begin(), r.end());
  }
  scan::TargetSet set(scan::subtract(ranges, excluded));
  if (set.size() == 0) throw UsageError("no targets left after --exclude");
  return set;
}

std::vector<uint16_t> build_ports(const Options& opts, Method method) {
  if (!opts.ports.empty() && opts.top > 0) throw UsageError("give either -p PORTS or --top N, not both");
  if (opts.top != 0)
    return scan::top_ports(method == Method::udp ? scan::top_udp_ports() : scan::top_tcp_ports(), opts.top);
  if (!opts.ports.empty()) return scan::parse_port_list(opts.ports == "-" ? "1-65535" : opts.ports);
  return scan::top_ports(method == Method::udp ? scan::top_udp_ports() : scan::top_tcp_ports(), 1000);
}

uint64_t parse_seed(const std::string& text) {
  uint64_t seed = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), seed);
  if (ec != std::errc() || p != text.data() + text.size() || text.empty())
    throw UsageError(fmt::format("invalid seed '{}': expected a whole number 0..2^64-1", text));
  return seed;
}

uint64_t random_seed() {
  std::random_device rd;
  return ((uint64_t{rd()} << 32) ^ rd()) & ((uint64_t{1} << 53) - 1);
}

void merge_ports(std::vector<uint16_t>& ports, const std::vector<uint16_t>& more) {
  ports.insert(ports.end(), more.begin(), more.end());
  std::sort(ports.begin(), ports.end());
  ports.erase(std::unique(ports.begin(), ports.end()), ports.end());
}

void apply_timing(const Options& opts, Plan& plan) {
  cli::check_number("--rate", opts.rate, {0, 1e9}, "packets per second (0: unlimited)");
  cli::check_whole("--concurrency", opts.concurrency, 0, 1'000'000);
  cli::check_seconds("--timeout", opts.timeout_s, {0, 3600, true});
  cli::check_whole("--retries", opts.retries, 0, 20);
  plan.rate = opts.rate;
  plan.concurrency = static_cast<std::size_t>(opts.concurrency);
  plan.timeout = std::chrono::nanoseconds(static_cast<int64_t>(opts.timeout_s * 1e9));
  plan.retries = opts.retries;
}

}  // namespace

Plan build_plan(const Options& opts, const cli::GlobalOptions& global) {
  Plan plan;
  const int chosen = int{opts.syn} + int{opts.connect} + int{opts.udp};
  if (chosen > 1) throw UsageError("choose one scan type: --syn, --connect or --udp");
  plan.method_chosen = chosen == 1;
  plan.method = opts.udp ? Method::udp : opts.connect ? Method::connect : Method::syn;
  if (opts.banner && opts.udp)
    throw UsageError("--banner reads TCP services; it does not combine with --udp");
  apply_timing(opts, plan);
  plan.ports = build_ports(opts, plan.method);
  if (!opts.expect_open.empty()) plan.expect_open = scan::parse_port_list(opts.expect_open);
  if (!opts.expect_closed.empty()) plan.expect_closed = scan::parse_port_list(opts.expect_closed);
  merge_ports(plan.ports, plan.expect_open);
  merge_ports(plan.ports, plan.expect_closed);
  plan.targets = build_targets(opts, global.family);
  if (!opts.shard.empty()) {
    plan.shard = scan::parse_shard(opts.shard);
    if (opts.seed.empty())
      throw UsageError(
          fmt::format("--shard '{}' needs --seed S: every shard must walk the same permutation", opts.shard));
  }
  // A random seed stays below 2^53 so it survives JSON readers that hold numbers as doubles (jq).
  plan.seed = opts.seed.empty() ? random_seed() : parse_seed(opts.seed);
  plan.banner = opts.banner;
  plan.all = opts.all;
  return plan;
}

}  // namespace nt::portscan
