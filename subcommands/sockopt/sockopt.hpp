#pragma once
#include "cli/command.hpp"

namespace nt::sockopt {

cli::RunFn setup(CLI::App& app);

}  // namespace nt::sockopt
