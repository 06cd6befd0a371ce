// `nettool multicast send`: numbered, timestamped datagrams to a group (or broadcast) at a rate.
#pragma once
#include "cli/command.hpp"
#include "subcommands/multicast/options.hpp"

namespace nt::multicast {

int run_send(const SendOptions& opts, cli::Runtime& rt);

}  // namespace nt::multicast
