// Runs a scan: plan → scanner → records → exit code.
#pragma once
#include "cli/command.hpp"
#include "subcommands/portscan/options.hpp"

namespace nt::portscan {

int run(const Options& opts, cli::Runtime& rt);

}  // namespace nt::portscan
