// The group (or broadcast address) a run sends to or receives from, the interface it uses, and the
// sockets set up for it, with errors that name the fix (a missing route, an interface without the
// MULTICAST flag, the kernel's join limit).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "net/address.hpp"
#include "net/fd.hpp"
#include "net/interfaces.hpp"
#include "subcommands/multicast/options.hpp"

namespace nt::multicast {

struct Group {
  net::SocketAddress address;           // group or broadcast address, with the port
  std::optional<net::Interface> iface;  // nullopt: the kernel picks by route
  bool broadcast = false;
};

// Parses TARGET (GROUP:PORT, [GROUP%IFACE]:PORT) and picks the interface: --iface, the group's
// scope, or the interface the route to the group leaves by. Throws UsageError (bad input) or
// RuntimeError (no route, no MULTICAST flag).
Group resolve_group(const std::string& target, const std::string& iface, bool broadcast);
// --source values: addresses of the group's family. Warns (rt.warn) when the group is outside the
// source-specific ranges 232/8 and ff3x::/32: SSM joins work there too, but routers may not do SSM.
std::vector<net::SocketAddress> resolve_sources(const std::vector<std::string>& sources, const Group& g,
                                                cli::Runtime& rt);

// A bound, joined receiving socket: SO_REUSEADDR (several receivers share the port), multicast-all
// off (only the groups this socket joined), TTL/TOS/pktinfo/timestamp cmsgs on, non-blocking.
net::UniqueFd open_receiver(const Group& g, const std::vector<net::SocketAddress>& sources,
                            const RecvOptions& o);
// A connected sending socket: interface, TTL/hops, loop, TOS, SO_BROADCAST as asked; non-blocking.
net::UniqueFd open_sender(const Group& g, const SendOptions& o);

std::string interface_text(const Group& g);
// The group's address with the interface as scope id when the group is link-local (ff02::/16…):
// what bind(2), connect(2) and sendmsg(2) need for it; the address as given otherwise.
net::SocketAddress scoped_address(const Group& g);  // "veth0 (3)" or "route"

}  // namespace nt::multicast
