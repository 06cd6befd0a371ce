// Capabilities: check before opening raw sockets, drop everything once they are open (DESIGN.md
// "Privileges"). Raw capset(2) so we need no libcap.
#pragma once

namespace nt::sys {

// True when the effective set holds the capability (e.g. CAP_NET_RAW from <linux/capability.h>).
bool has_capability(int cap) noexcept;

// Clears effective, permitted and inheritable sets and the ambient set. Idempotent. Throws on failure.
void drop_all_capabilities();

}  // namespace nt::sys
