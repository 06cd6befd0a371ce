// Placeholder until the subcommand lands.
#include "subcommands/ping/ping.hpp"

#include <CLI/CLI.hpp>

#include "sys/error.hpp"

namespace nt::ping {

cli::RunFn setup(CLI::App&) {
  return [](cli::Runtime&) -> int { throw RuntimeError("not implemented yet"); };
}

}  // namespace nt::ping
