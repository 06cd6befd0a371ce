// Blocks of IP addresses as the user writes them: a literal (10.0.0.1, ::1, [::1]), a CIDR block
// (10.0.0.0/24, fd00::/120) or a range (10.0.0.1-20 for the last octet, 10.0.0.250-10.0.1.4, ::1-::9,
// [fd00::1]-[fd00::3]), kept as first address + count so a /8 costs no memory. One parser for every
// subcommand; each caller says how many addresses it accepts, and inputs larger than that (::/0 and
// the like) are refused with a message naming the input.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "net/ip_address.hpp"

namespace nt::net {

struct IpRange {
  int family = 0;
  uint128 first = 0;
  uint64_t count = 0;
  int prefix = -1;  // the CIDR prefix length when written as a block, else -1

  IpAddress at(uint64_t i) const { return IpAddress::from_number(family, first + i); }
  bool operator==(const IpRange&) const = default;
};

// True when `spec` is written as a literal, CIDR block or range rather than a host name (a name may
// contain '-', so "a-b" is numeric only when "a" is an address).
bool looks_numeric(std::string_view spec);

// Parses a numeric spec. Throws UsageError("invalid <noun> '<spec>': <problem>"), e.g.
// "invalid target '::/0': more than 2^32 addresses", when it is malformed or holds more than
// `max_addresses` addresses. `noun` names what the user was asked for ("target", "CIDR block").
IpRange parse_ip_range(std::string_view spec, uint64_t max_addresses, std::string_view noun);

// "2^32" for powers of two above 65536, else the number: how the limit reads in a message.
std::string describe_limit(uint64_t max_addresses);

}  // namespace nt::net
