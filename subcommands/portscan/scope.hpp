// How far a scan reaches. Special-purpose addresses (IANA registries, RFC 6890) that no scan means to
// reach are left out by default, as zmap and masscan do; a scan of more than a cap of addresses outside
// loopback and private ranges is refused unless --max-targets raises the cap, so a typo such as
// 0.0.0.0/0 never starts an Internet-wide scan.
#pragma once
#include <cstdint>
#include <vector>

#include "subcommands/portscan/targets.hpp"

namespace nt::scan {

inline constexpr uint64_t kDefaultMaxTargets = 65536;

// Left out unless --no-default-exclude: 0.0.0.0/8 (this network), 192.0.2.0/24, 198.51.100.0/24,
// 203.0.113.0/24 (documentation, RFC 5737), 224.0.0.0/4 (multicast), 240.0.0.0/4 (reserved and
// 255.255.255.255), ::/128 (unspecified); and IPv6 target ranges lying inside 2001:db8::/32
// (documentation, RFC 3849) or ff00::/8 (multicast), which are too large to write as one range here.
std::vector<TargetRange> without_special_purpose(const std::vector<TargetRange>& ranges);

// Not counted against the cap: 127.0.0.0/8, 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 (RFC 1918),
// 100.64.0.0/10 (RFC 6598), 169.254.0.0/16, ::1/128; IPv6 ranges inside fc00::/7 (RFC 4193) or fe80::/10.
const std::vector<TargetRange>& local_ranges();

// Addresses of `ranges` outside the local ranges.
uint64_t count_beyond_local(const std::vector<TargetRange>& ranges);

// Throws UsageError naming the count when more than `max_targets` addresses lie beyond local ranges.
void check_reach(const std::vector<TargetRange>& ranges, uint64_t max_targets);

}  // namespace nt::scan
