// Port lists: either a UsageError, or ranges that are exactly the union of the ranges the user typed.
#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "subcommands/portscan/ports.hpp"
#include "sys/error.hpp"

namespace {
// The ranges typed, read independently of the parser: "a", "a-b", "-b" (from 1), "a-" (to 65535), "-".
std::vector<std::pair<long, long>> typed_ranges(std::string_view spec) {
  std::vector<std::pair<long, long>> ranges;
  auto number = [](std::string_view s, long fallback) {
    long v = fallback;
    if (!s.empty()) std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
  };
  for (std::size_t start = 0; start <= spec.size();) {
    std::size_t comma = std::min(spec.find(',', start), spec.size());
    std::string_view item = spec.substr(start, comma - start);
    std::size_t dash = item.find('-');
    if (dash == std::string_view::npos)
      ranges.emplace_back(number(item, -1), number(item, -1));
    else
      ranges.emplace_back(number(item.substr(0, dash), 1), number(item.substr(dash + 1), 65535));
    start = comma + 1;
  }
  return ranges;
}
}  // namespace

// Every typed range is covered by exactly one parsed range, and every parsed range is a union of typed
// ones: checked on the merged ranges (parse_port_ranges, all the parsing) rather than on the expanded
// list, whose 65,535-port loop would cost ~400 µs of instrumented pushes per input. The expansion is
// covered by the unit tests.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view spec(reinterpret_cast<const char*>(data), size);
  std::vector<nt::scan::PortRange> parsed;
  try {
    parsed = nt::scan::parse_port_ranges(spec);
  } catch (const nt::UsageError&) {
    return 0;
  }
  if (spec.find_first_not_of("0123456789,-") != std::string_view::npos) __builtin_trap();
  for (std::size_t i = 0; i < parsed.size(); ++i) {
    if (parsed[i].first == 0 || parsed[i].first > parsed[i].last) __builtin_trap();
    if (i > 0 && uint32_t{parsed[i - 1].last} + 1 >= parsed[i].first)
      __builtin_trap();  // disjoint, not adjacent
  }
  auto typed = typed_ranges(spec);
  auto inside = [&](long lo, long hi) {
    return std::any_of(parsed.begin(), parsed.end(), [&](auto r) { return r.first <= lo && hi <= r.last; });
  };
  for (auto [lo, hi] : typed)
    if (!inside(lo, hi)) __builtin_trap();
  // Each parsed range is covered without a gap by the typed ranges inside it.
  std::sort(typed.begin(), typed.end());
  for (auto r : parsed) {
    long reach = long{r.first} - 1;
    for (auto [lo, hi] : typed)
      if (lo >= r.first && hi <= r.last && lo <= reach + 1) reach = std::max(reach, hi);
    if (reach != r.last) __builtin_trap();
  }
  return 0;
}
