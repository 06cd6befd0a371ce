// `nettool udp-time HOST[:PORT]`: the client. Never sets the system clock.
#pragma once
#include "cli/command.hpp"
#include "subcommands/udp_time/options.hpp"

namespace nt::udp_time {

int run_client(const ClientOptions& opts, cli::Runtime& rt);

}  // namespace nt::udp_time
