// `tcp-echo server`: listen, echo, report; one event loop per --threads.
#pragma once
#include "cli/command.hpp"
#include "net/address.hpp"
#include "subcommands/tcp_echo/options.hpp"

namespace nt::tcp_echo {

int run_server(const ServerOptions& opts, cli::Runtime& rt);

// The address --listen names: empty is the dual-stack wildcard on port 7007 ([::], or 0.0.0.0 when the
// host has no IPv6 or -4 is given); "PORT" and ":PORT" are the wildcard on that port. Throws UsageError.
// `v6_only` is set when -6 asks for IPv6 alone.
net::SocketAddress listen_address(const std::string& text, int family, bool& v6_only);

}  // namespace nt::tcp_echo
