// schema: prints the JSON Schema (draft 2020-12) of a command's records, or the list of commands that
// have one. No network, no privileges.
#pragma once
#include "cli/command.hpp"

namespace nt::schema {

cli::RunFn setup(CLI::App& app);

}  // namespace nt::schema
