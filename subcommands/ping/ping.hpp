#pragma once
#include "cli/command.hpp"

namespace nt::ping {

cli::RunFn setup(CLI::App& app);

}  // namespace nt::ping
