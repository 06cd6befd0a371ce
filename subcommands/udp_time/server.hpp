// `nettool udp-time server`: the socket loop around timeproto's responder and rate limiter.
#pragma once
#include "cli/command.hpp"
#include "subcommands/udp_time/options.hpp"

namespace nt::udp_time {

int run_server(const ServerOptions& opts, cli::Runtime& rt);

}  // namespace nt::udp_time
