// Placeholder until the subcommand lands.
#include "subcommands/portscan/portscan.hpp"

#include <CLI/CLI.hpp>

#include "sys/error.hpp"

namespace nt::portscan {

cli::RunFn setup(CLI::App&) {
  return [](cli::Runtime&) -> int { throw RuntimeError("not implemented yet"); };
}

}  // namespace nt::portscan
