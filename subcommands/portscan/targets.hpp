// Scan targets: names, IPv4/IPv6 literals, CIDR blocks (v4 and v6), ranges (10.0.0.1-20 for the last
// octet, 10.0.0.1-10.0.1.5 or ::1-::9 in full), kept as ranges so a /8 costs no memory.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "subcommands/portscan/address.hpp"

namespace nt::scan {

// At most this many addresses in one target spec (and in a whole scan): 2^32 keeps every index a
// 64-bit product with 65536 ports.
inline constexpr uint64_t kMaxAddresses = uint64_t{1} << 32;

struct TargetRange {
  int family = 0;
  uint128 first = 0;
  uint64_t count = 0;
  std::string label;  // what the user typed (a name's addresses keep the name)

  IpAddress at(uint64_t i) const { return IpAddress::from_number(family, first + i); }
};

// Resolves a host name to its addresses (first one is scanned); injected so parsing is testable.
using NameResolver = std::function<std::vector<IpAddress>(const std::string& name, int family)>;

// One target spec (literal, CIDR, range or name) as ranges. `family` is AF_UNSPEC, AF_INET or AF_INET6
// (-4/-6): a literal of the other family is a usage error. Throws UsageError("invalid target 'X': …").
std::vector<TargetRange> parse_target(std::string_view spec, int family, const NameResolver& resolve);

// Numeric specs only (literal, CIDR, range): for --exclude, where names make no sense to resolve.
std::vector<TargetRange> parse_numeric_target(std::string_view spec);

// Removes every address in `exclude` from `ranges` (same family), splitting ranges where needed.
std::vector<TargetRange> subtract(const std::vector<TargetRange>& ranges,
                                  const std::vector<TargetRange>& exclude);

// An indexable union of ranges: address i of the scan, without materialising the list.
class TargetSet {
 public:
  TargetSet() = default;
  explicit TargetSet(std::vector<TargetRange> ranges);
  uint64_t size() const noexcept { return total_; }
  IpAddress at(uint64_t index) const;
  const std::vector<TargetRange>& ranges() const noexcept { return ranges_; }
  // The range holding `index` (for per-range data such as the source address).
  std::size_t range_of(uint64_t index) const;

 private:
  std::vector<TargetRange> ranges_;
  std::vector<uint64_t> starts_;  // cumulative index of each range's first address
  uint64_t total_ = 0;
};

}  // namespace nt::scan
