// TrafficFilter::scan: a port scan's traffic as a pcap-filter expression. Targets become CIDR blocks
// ("net 10.0.0.0/30", "host 127.0.0.1") and ports runs ("portrange 1-1024"), so a /24 × 1-65535 scan is
// one short clause; kMaxScanTerms bounds both lists (traffic_filter.hpp says what happens past it).
#include <fmt/format.h>
#include <sys/socket.h>

#include <algorithm>

#include "pcap/traffic_filter.hpp"

namespace nt::capture {

namespace {

using net::uint128;

struct Block {
  net::IpAddress base;
  int prefix = 0;
};

int family_bits(int family) {
  return family == AF_INET6 ? 128 : 32;
}

uint128 low_mask(int bits) {  // the low `bits` bits set
  return bits >= 128 ? ~uint128{0} : (uint128{1} << bits) - 1;
}

// The largest aligned blocks covering first..last exactly, appended to `out` until it holds more
// than `limit` (the caller then falls back to a covering block).
void append_blocks(const AddressRange& r, std::vector<Block>& out, std::size_t limit) {
  const int family = r.first.family, bits = family_bits(family);
  uint128 lo = r.first.number();
  const uint128 hi = r.last.number();
  while (out.size() <= limit) {
    int k = 0;  // block size 2^k
    while (k < bits && ((lo >> k) & 1) == 0 && hi - lo >= low_mask(k + 1)) ++k;
    out.push_back({net::IpAddress::from_number(family, lo), bits - k});
    if (hi - lo == low_mask(k)) return;
    lo += low_mask(k) + 1;
  }
}

// The smallest block holding every range of one family.
Block covering_block(std::span<const AddressRange> targets, int family) {
  const int bits = family_bits(family);
  uint128 lo = low_mask(bits), hi = 0;
  for (const auto& r : targets) {
    if (r.first.family != family) continue;
    lo = std::min(lo, r.first.number());
    hi = std::max(hi, r.last.number());
  }
  int differing = 0;  // low bits in which lo and hi may differ
  while (differing < bits && (lo >> differing) != (hi >> differing)) ++differing;
  return {net::IpAddress::from_number(family, lo & ~low_mask(differing)), bits - differing};
}

std::vector<Block> target_blocks(std::span<const AddressRange> targets) {
  std::vector<Block> blocks;
  for (const auto& r : targets) {
    append_blocks(r, blocks, kMaxScanTerms);
    if (blocks.size() > kMaxScanTerms) break;
  }
  if (blocks.size() <= kMaxScanTerms) return blocks;
  blocks.clear();
  for (int family : {AF_INET, AF_INET6}) {
    if (std::any_of(targets.begin(), targets.end(), [&](const auto& r) { return r.first.family == family; }))
      blocks.push_back(covering_block(targets, family));
  }
  return blocks;
}

std::vector<PortRange> bounded_runs(std::span<const PortRange> ports) {
  if (ports.size() <= kMaxScanTerms) return {ports.begin(), ports.end()};
  uint16_t lo = 0xffff, hi = 0;
  for (const auto& p : ports) lo = std::min(lo, p.first), hi = std::max(hi, p.last);
  return {PortRange{lo, hi}};
}

// "DIR host A", "DIR net B/24"; a /0 block is any address of its family.
std::string block_test(const Block& b, const char* dir) {
  const int bits = family_bits(b.base.family);
  if (b.prefix == bits) return fmt::format("{} host {}", dir, b.base.to_string());
  if (b.prefix == 0) return b.base.family == AF_INET6 ? "ip6" : "ip";
  return fmt::format("{} net {}/{}", dir, b.base.to_string(), b.prefix);
}

std::string hosts_test(const std::vector<Block>& blocks, const char* dir, int family = 0) {
  std::string any;
  for (const auto& b : blocks) {
    if (family != 0 && b.base.family != family) continue;
    any += fmt::format("{}{}", any.empty() ? "" : " or ", block_test(b, dir));
  }
  return fmt::format("({})", any);
}

std::string ports_test(const std::vector<PortRange>& runs, const char* dir) {
  std::string any;
  for (const auto& r : runs) {
    std::string one = r.first == r.last ? fmt::format("{} port {}", dir, r.first)
                                        : fmt::format("{} portrange {}-{}", dir, r.first, r.last);
    any += fmt::format("{}{}", any.empty() ? "" : " or ", one);
  }
  return fmt::format("({})", any);
}

// The quoted probe's destination port, read at `field` of the ICMP error.
std::string quoted_ports_test(const std::vector<PortRange>& runs, const std::string& field) {
  std::string any;
  for (const auto& r : runs) {
    std::string one = r.first == r.last ? fmt::format("{} == {}", field, r.first)
                                        : fmt::format("({0} >= {1} and {0} <= {2})", field, r.first, r.last);
    any += fmt::format("{}{}", any.empty() ? "" : " or ", one);
  }
  return fmt::format("({})", any);
}

bool has_family(const std::vector<Block>& blocks, int family) {
  return std::any_of(blocks.begin(), blocks.end(), [&](const Block& b) { return b.base.family == family; });
}

}  // namespace

std::vector<PortRange> port_runs(std::span<const uint16_t> sorted_ports) {
  std::vector<PortRange> runs;
  for (uint16_t port : sorted_ports) {
    if (!runs.empty() && runs.back().last + 1 == port) {
      runs.back().last = port;
    } else {
      runs.push_back({port, port});
    }
  }
  return runs;
}

TrafficFilter& TrafficFilter::scan(Transport transport, std::span<const AddressRange> targets,
                                   std::span<const PortRange> ports) {
  if (targets.empty() || ports.empty()) return *this;
  const auto blocks = target_blocks(targets);
  const auto runs = bounded_runs(ports);
  const bool tcp = transport == Transport::tcp;
  clauses_.push_back(fmt::format("{} and (({} and {}) or ({} and {}))", tcp ? "tcp" : "udp",
                                 hosts_test(blocks, "dst"), ports_test(runs, "dst"),
                                 hosts_test(blocks, "src"), ports_test(runs, "src")));
  const int proto = tcp ? 6 : 17;
  // Destination unreachable: type 3 after 8 bytes of ICMP header the quoted IPv4 header (protocol at
  // its byte 9, 20 bytes long), then the probe's ports (destination at byte 2).
  if (has_family(blocks, AF_INET))
    clauses_.push_back(fmt::format("icmp and icmp[0] == 3 and icmp[17] == {} and {} and {}", proto,
                                   hosts_test(blocks, "src", AF_INET),
                                   quoted_ports_test(runs, "icmp[30:2]")));
  // ICMPv6 at ip6[40], type 1; the quoted IPv6 header at ip6[48] (next header at its byte 6, 40 long).
  if (has_family(blocks, AF_INET6))
    clauses_.push_back(fmt::format("icmp6 and ip6[40] == 1 and ip6[54] == {} and {} and {}", proto,
                                   hosts_test(blocks, "src", AF_INET6),
                                   quoted_ports_test(runs, "ip6[90:2]")));
  return *this;
}

}  // namespace nt::capture
