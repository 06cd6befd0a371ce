// Placeholder until the subcommand lands.
#include "subcommands/udp_time/udp_time.hpp"

#include <CLI/CLI.hpp>

#include "sys/error.hpp"

namespace nt::udp_time {

cli::RunFn setup(CLI::App&) {
  return [](cli::Runtime&) -> int { throw RuntimeError("not implemented yet"); };
}

}  // namespace nt::udp_time
