#pragma once
#include "cli/command.hpp"

namespace nt::tcp_echo {

cli::RunFn setup(CLI::App& app);

}  // namespace nt::tcp_echo
