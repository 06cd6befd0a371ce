#include "subcommands/portscan/ports.hpp"

#include <algorithm>
#include <charconv>
#include <string>

#include "sys/error.hpp"

namespace nt::scan {

namespace {

[[noreturn]] void bad(std::string_view spec, std::string_view problem) {
  throw UsageError(fmt::format("invalid port list '{}': {}", spec, problem));
}

uint16_t parse_one(std::string_view spec, std::string_view text) {
  if (text.empty()) bad(spec, "empty port");
  // from_chars takes a leading '-': "10--1" would read as 10-65535 and "--100" as 1-65436.
  if (text.front() < '0' || text.front() > '9') bad(spec, fmt::format("'{}' is not a number", text));
  long value = -1;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range) bad(spec, fmt::format("port '{}' is above 65535", text));
  if (ec != std::errc() || p != text.data() + text.size())
    bad(spec, fmt::format("'{}' is not a number", text));
  if (value == 0) bad(spec, "port 0 cannot be scanned (ports are 1..65535)");
  if (value > 65535) bad(spec, fmt::format("port {} is above 65535", value));
  return static_cast<uint16_t>(value);
}

}  // namespace

std::vector<PortRange> parse_port_ranges(std::string_view spec) {
  if (spec.empty()) bad(spec, "empty");
  std::vector<PortRange> ranges;
  std::size_t start = 0;
  while (start <= spec.size()) {
    std::size_t comma = spec.find(',', start);
    if (comma == std::string_view::npos) comma = spec.size();
    const std::string_view item = spec.substr(start, comma - start);
    if (item.empty()) bad(spec, "empty item");
    const std::size_t dash = item.find('-');
    uint16_t lo = 0, hi = 0;
    if (dash == std::string_view::npos) {
      lo = hi = parse_one(spec, item);
    } else {
      lo = dash == 0 ? 1 : parse_one(spec, item.substr(0, dash));
      hi = dash + 1 == item.size() ? 65535 : parse_one(spec, item.substr(dash + 1));
      if (hi < lo) bad(spec, fmt::format("range {}-{} ends below its start", lo, hi));
    }
    ranges.push_back({lo, hi});
    start = comma + 1;
  }
  std::sort(ranges.begin(), ranges.end(), [](PortRange a, PortRange b) { return a.first < b.first; });
  std::vector<PortRange> merged;
  for (const PortRange& r : ranges) {
    // Overlapping or adjacent ranges become one (uint32_t: last + 1 may be 65536).
    if (!merged.empty() && uint32_t{r.first} <= uint32_t{merged.back().last} + 1)
      merged.back().last = std::max(merged.back().last, r.last);
    else
      merged.push_back(r);
  }
  return merged;
}

std::vector<uint16_t> parse_port_list(std::string_view spec) {
  // Merged first, then expanded: the cost follows the ports chosen, not the 65535 possible.
  const auto ranges = parse_port_ranges(spec);
  std::size_t total = 0;
  for (const PortRange& r : ranges) total += std::size_t{r.last} - r.first + 1;
  std::vector<uint16_t> ports;
  ports.reserve(total);
  for (const PortRange& r : ranges)
    for (uint32_t p = r.first; p <= r.last; ++p) ports.push_back(static_cast<uint16_t>(p));
  return ports;
}

std::vector<uint16_t> top_ports(std::span<const uint16_t> ranking, long n) {
  if (n < 1 || static_cast<std::size_t>(n) > ranking.size())
    throw UsageError(fmt::format("invalid --top '{}': must be 1..{}", n, ranking.size()));
  std::vector<uint16_t> ports(ranking.begin(), ranking.begin() + n);
  std::sort(ports.begin(), ports.end());
  return ports;
}

}  // namespace nt::scan
