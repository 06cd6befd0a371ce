// Placeholder until the subcommand lands.
#include "subcommands/tcp_echo/tcp_echo.hpp"

#include <CLI/CLI.hpp>

#include "sys/error.hpp"

namespace nt::tcp_echo {

cli::RunFn setup(CLI::App&) {
  return [](cli::Runtime&) -> int { throw RuntimeError("not implemented yet"); };
}

}  // namespace nt::tcp_echo
