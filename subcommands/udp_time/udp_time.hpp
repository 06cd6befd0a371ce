#pragma once
#include "cli/command.hpp"

namespace nt::udp_time {

cli::RunFn setup(CLI::App& app);

}  // namespace nt::udp_time
