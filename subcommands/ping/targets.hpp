// Turning what the user typed into addresses: names (resolved, first address as iputils), IPv4 and
// IPv6 literals (link-local with %iface), CIDR blocks, and "-" / --file for one target per line.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/address.hpp"

namespace nt::ping {

struct Target {
  std::string name;  // as the user wrote it (for CIDR members: the address)
  net::SocketAddress address;
  bool is_name = false;  // resolved from a name: text shows "name (address)"
};

struct TargetError {
  std::string name;
  std::string reason;
};

// A target whose address was already in the list: pinged once, and said so on stderr.
struct MergedTarget {
  std::string name;   // as given
  std::string first;  // the earlier target with the same address
};

struct TargetList {
  std::vector<Target> targets;      // unique addresses, in the order given
  std::vector<TargetError> errors;  // names that did not resolve
  std::vector<MergedTarget> merged;
};

inline constexpr std::size_t kMaxCidrHosts = 65536;
// Hosts pinged at most in one run (each holds its own statistics): more is a usage error naming both.
inline constexpr std::size_t kMaxHosts = 65536;

// One line: "2 duplicate targets merged: localhost (same address as 127.0.0.1), …" (first 3 named).
std::string merged_message(const std::vector<MergedTarget>& merged);

// The usable addresses of an IPv4/IPv6 CIDR block ("10.0.0.0/30" → .1, .2: for prefixes up to /30
// the network and broadcast addresses are left out, as fping -g does) or range ("127.0.0.1-3").
// nullopt when `spec` is neither; UsageError when it is malformed or larger than kMaxCidrHosts.
std::optional<std::vector<net::SocketAddress>> expand_cidr(std::string_view spec, int family);

// Expands and resolves every spec. Malformed specs and more than kMaxHosts hosts throw UsageError
// (nothing is pinged); names that
// fail to resolve become `errors` and the rest are still pinged. `family` (AF_UNSPEC/INET/INET6)
// restricts names and rejects literals of the other family.
TargetList expand_targets(const std::vector<std::string>& specs, int family);

}  // namespace nt::ping
