// Port lists: either a UsageError, or ports that each lie inside a range the user typed.
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

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view spec(reinterpret_cast<const char*>(data), size);
  if (spec.find_first_not_of("0123456789,-") != std::string_view::npos) {
    try {
      (void)nt::scan::parse_port_list(spec);
    } catch (const nt::UsageError&) {
    }
    return 0;
  }
  std::vector<uint16_t> ports;
  try {
    ports = nt::scan::parse_port_list(spec);
  } catch (const nt::UsageError&) {
    return 0;
  }
  auto ranges = typed_ranges(spec);
  std::sort(ranges.begin(), ranges.end());
  // Ports come sorted: one pass, the typed ranges ordered by start, the farthest end seen so far.
  std::size_t next = 0;
  long reach = -1;
  for (uint16_t p : ports) {
    while (next < ranges.size() && ranges[next].first <= p) reach = std::max(reach, ranges[next++].second);
    if (p == 0 || p > reach) __builtin_trap();
  }
  return 0;
}
