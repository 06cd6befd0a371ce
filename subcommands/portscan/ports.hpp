// Port lists as users type them (22,80,8000-8100; "-" for 1-65535; "-1024" and "60000-" open-ended) and
// the shipped top-ports ranking for --top N.
#pragma once
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace nt::scan {

// A closed range of ports, first <= last.
struct PortRange {
  uint16_t first = 0, last = 0;
};

// The ranges typed, sorted and merged (overlapping or adjacent ones become one), so they are disjoint
// and ascending. Throws as parse_port_list does.
std::vector<PortRange> parse_port_ranges(std::string_view spec);

// The ports of parse_port_ranges, expanded: sorted, duplicate-free. Throws UsageError("invalid port list 'X':
// …") for 0, >65535, a reversed range, an empty item or anything that is not a number.
std::vector<uint16_t> parse_port_list(std::string_view spec);

// TCP ports ranked by how often they were found open, most frequent first. The ranking is the
// open-frequency column of nmap-services (nmap 7.93, as shipped in Debian 12); only the order of the
// port numbers is taken from it (see top_ports.cpp).
std::span<const uint16_t> top_tcp_ports() noexcept;
std::span<const uint16_t> top_udp_ports() noexcept;

// The first n of a ranking, sorted. Throws UsageError when n is 0 or exceeds the ranking's length.
std::vector<uint16_t> top_ports(std::span<const uint16_t> ranking, long n);

}  // namespace nt::scan
