#pragma once
#include "cli/command.hpp"
#include "subcommands/fd_pass/options.hpp"

namespace nt::fd_pass {

cli::RunFn setup(CLI::App& app);

int run_send(const SendOptions& opts, cli::Runtime& rt);
int run_recv(const RecvOptions& opts, cli::Runtime& rt);

}  // namespace nt::fd_pass
