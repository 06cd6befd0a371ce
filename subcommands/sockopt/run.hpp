#pragma once
#include "cli/command.hpp"
#include "subcommands/sockopt/options.hpp"

namespace nt::sockopt {

// Acquires the sockets the options name, drops every capability, inspects and emits one `socket`
// record each and a `summary`. Exit 0; 1 when --pid names a process without sockets.
int run_inspect(const Options& o, cli::Runtime& rt);

}  // namespace nt::sockopt
