#pragma once
#include "cli/command.hpp"

namespace nt::chat {

// `nettool chat-server`: its options and the function that runs it.
cli::RunFn server_setup(CLI::App& app);

}  // namespace nt::chat
