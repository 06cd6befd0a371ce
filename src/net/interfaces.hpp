// Network interfaces by name, index or address (getifaddrs(3), if_nametoindex(3)): what `--iface`
// accepts, and the flags that tell whether an interface can carry multicast at all.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "net/ip_address.hpp"

namespace nt::net {

struct Interface {
  int index = 0;
  std::string name;
  unsigned flags = 0;  // IFF_UP, IFF_MULTICAST, IFF_BROADCAST, IFF_LOOPBACK…
};

std::optional<Interface> interface_by_index(int index);
std::optional<Interface> interface_by_name(std::string_view name);
// The interface holding `addr` (an IPv4 or IPv6 address configured on it).
std::optional<Interface> interface_by_address(const IpAddress& addr);

// `--iface` text: a name (veth0), an index (3) or an address configured on it (10.9.0.1, fd07::1).
// Throws UsageError("invalid --iface 'X': no such interface") otherwise.
Interface parse_interface(std::string_view text);

}  // namespace nt::net
