#pragma once
#include <span>

#include "cli/command.hpp"

namespace nt {

// The sorted table of every subcommand (a unit test checks order, uniqueness, man pages, completions).
std::span<const cli::CommandSpec> command_table();

}  // namespace nt
