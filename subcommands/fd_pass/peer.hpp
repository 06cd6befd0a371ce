// Who is on the other end of the channel: SO_PEERCRED, and SO_PEERPIDFD where the kernel has it
// (Linux 6.5+), whose pidfd says whether that process still runs (the pid alone may be reused).
#pragma once
#include "net/address.hpp"
#include "subcommands/fd_pass/records.hpp"

namespace nt::fd_pass {

PeerEvent identify_peer(int conn, const net::SocketAddress& addr);

}  // namespace nt::fd_pass
