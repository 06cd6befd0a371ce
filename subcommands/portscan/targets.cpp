#include "subcommands/portscan/targets.hpp"

#include <netinet/in.h>

#include <algorithm>

#include "net/endpoint.hpp"
#include "net/ip_range.hpp"
#include "sys/error.hpp"

namespace nt::scan {

namespace {

[[noreturn]] void bad(std::string_view spec, std::string_view problem) {
  throw UsageError(fmt::format("invalid target '{}': {}", spec, problem));
}

TargetRange from_range(const net::IpRange& r, std::string_view spec) {
  return {r.family, r.first, r.count, std::string(spec)};
}

}  // namespace

std::vector<TargetRange> parse_numeric_target(std::string_view spec) {
  return {from_range(net::parse_ip_range(spec, kMaxAddresses, "target"), spec)};
}

std::vector<TargetRange> parse_target(std::string_view spec, int family, const NameResolver& resolve) {
  std::vector<TargetRange> out;
  if (spec.empty()) bad(spec, "empty");
  // CLI11 2.1 reads a command-line "[a]-[b]" as its own "[x,y]" list syntax and hands on "a]-[b".
  std::string restored;
  if (spec.front() != '[' && spec.back() != ']' && spec.find("]-[") != std::string_view::npos) {
    restored = "[" + std::string(spec) + "]";
    spec = restored;
  }
  if (spec.front() == '-')
    bad(spec, "looks like an option (global options such as -4/-6 go before the command name)");
  if (net::looks_numeric(spec)) {
    out = parse_numeric_target(spec);
  } else {
    std::string problem;
    if (!net::valid_host(spec, &problem)) bad(spec, problem.empty() ? "not a host name" : problem);
    const auto addrs = resolve(std::string(spec), family);
    if (addrs.empty()) bad(spec, "the name has no address");
    out.push_back({addrs.front().family, addrs.front().number(), 1, std::string(spec)});
  }
  for (const auto& r : out)
    if (family != AF_UNSPEC && r.family != family)
      bad(spec,
          family == AF_INET ? "not an IPv4 target but -4 was given" : "not an IPv6 target but -6 was given");
  return out;
}

std::vector<TargetRange> subtract(const std::vector<TargetRange>& ranges,
                                  const std::vector<TargetRange>& exclude) {
  std::vector<TargetRange> current = ranges;
  for (const auto& ex : exclude) {
    std::vector<TargetRange> next;
    const uint128 ex_lo = ex.first, ex_hi = ex.first + ex.count - 1;
    for (const auto& r : current) {
      const uint128 lo = r.first, hi = r.first + r.count - 1;
      if (r.family != ex.family || ex_hi < lo || ex_lo > hi) {
        next.push_back(r);
        continue;
      }
      if (ex_lo > lo) next.push_back({r.family, lo, static_cast<uint64_t>(ex_lo - lo), r.label});
      if (ex_hi < hi) next.push_back({r.family, ex_hi + 1, static_cast<uint64_t>(hi - ex_hi), r.label});
    }
    current = std::move(next);
  }
  return current;
}

TargetSet::TargetSet(std::vector<TargetRange> ranges) : ranges_(std::move(ranges)) {
  for (const auto& r : ranges_) {
    starts_.push_back(total_);
    total_ += r.count;
    if (total_ > kMaxAddresses) throw UsageError("too many target addresses: at most 2^32 per scan");
  }
}

std::size_t TargetSet::range_of(uint64_t index) const {
  auto it = std::upper_bound(starts_.begin(), starts_.end(), index);
  return static_cast<std::size_t>(it - starts_.begin()) - 1;
}

IpAddress TargetSet::at(uint64_t index) const {
  const std::size_t r = range_of(index);
  return ranges_[r].at(index - starts_[r]);
}

}  // namespace nt::scan
