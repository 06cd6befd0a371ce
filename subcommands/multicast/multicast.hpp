#pragma once
#include "cli/command.hpp"

namespace nt::multicast {

cli::RunFn setup(CLI::App& app);

}  // namespace nt::multicast
