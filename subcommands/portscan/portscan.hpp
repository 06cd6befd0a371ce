#pragma once
#include "cli/command.hpp"

namespace nt::portscan {

cli::RunFn setup(CLI::App& app);

}  // namespace nt::portscan
