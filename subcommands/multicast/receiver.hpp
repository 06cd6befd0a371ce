// `nettool multicast recv`: joins a group (or listens for broadcast) and accounts for every sender.
#pragma once
#include "cli/command.hpp"
#include "subcommands/multicast/options.hpp"

namespace nt::multicast {

int run_recv(const RecvOptions& opts, cli::Runtime& rt);

}  // namespace nt::multicast
