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

std::vector<uint16_t> parse_port_list(std::string_view spec) {
  if (spec.empty()) bad(spec, "empty");
  std::vector<bool> chosen(65536, false);
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
    for (uint32_t p = lo; p <= hi; ++p) chosen[p] = true;
    start = comma + 1;
  }
  std::vector<uint16_t> ports;
  for (uint32_t p = 1; p <= 65535; ++p)
    if (chosen[p]) ports.push_back(static_cast<uint16_t>(p));
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
