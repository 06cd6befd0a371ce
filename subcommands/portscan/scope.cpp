#include "subcommands/portscan/scope.hpp"

#include <fmt/format.h>
#include <netinet/in.h>

#include "sys/error.hpp"

namespace nt::scan {

namespace {

std::vector<TargetRange> parse_all(std::initializer_list<const char*> specs) {
  std::vector<TargetRange> out;
  for (const char* spec : specs) {
    auto r = parse_numeric_target(spec);
    out.insert(out.end(), r.begin(), r.end());
  }
  return out;
}

// Whether an IPv6 range lies inside prefix/bits (prefixes too large for one TargetRange).
bool inside(const TargetRange& r, uint128 prefix, int bits) {
  const uint128 last = r.first + r.count - 1;
  const int shift = 128 - bits;
  return r.family == AF_INET6 && (r.first >> shift) == (prefix >> shift) &&
         (last >> shift) == (prefix >> shift);
}

}  // namespace

std::vector<TargetRange> without_special_purpose(const std::vector<TargetRange>& ranges) {
  static const auto special = parse_all({"0.0.0.0/8", "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24",
                                         "224.0.0.0/4", "240.0.0.0/4", "::/128"});
  const auto inside = [](uint128 first, uint128 last, uint128 prefix, int bits) {
    return (first >> (128 - bits)) == (prefix >> (128 - bits)) &&
           (last >> (128 - bits)) == (prefix >> (128 - bits));
  };
  const uint128 documentation = uint128{0x20010db8} << 96, multicast = uint128{0xff} << 120;
  std::vector<TargetRange> out;
  for (auto& r : subtract(ranges, special)) {
    const uint128 last = r.first + r.count - 1;
    if (r.family == AF_INET6 &&
        (inside(r.first, last, documentation, 32) || inside(r.first, last, multicast, 8)))
      continue;
    out.push_back(std::move(r));
  }
  return out;
}

const std::vector<TargetRange>& local_ranges() {
  static const auto ranges = parse_all({"127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
                                        "100.64.0.0/10", "169.254.0.0/16", "::1/128"});
  return ranges;
}

uint64_t count_beyond_local(const std::vector<TargetRange>& ranges) {
  uint64_t total = 0;
  const uint128 unique_local = uint128{0xfc} << 120, link_local = uint128{0xfe80} << 112;
  for (const auto& r : subtract(ranges, local_ranges()))
    if (!inside(r, unique_local, 7) && !inside(r, link_local, 10)) total += r.count;
  return total;
}

void check_reach(const std::vector<TargetRange>& ranges, uint64_t max_targets) {
  const uint64_t beyond = count_beyond_local(ranges);
  if (beyond <= max_targets) return;
  throw UsageError(fmt::format(
      "{} target addresses outside loopback and private ranges, more than {}: give --max-targets {} "
      "if you mean it",
      beyond, max_targets, beyond));
}

}  // namespace nt::scan
