// Options that end option parsing, like env(1)'s COMMAND or `fd-pass recv --exec CMD ARGS…`: every
// word after them belongs to the command they start, options included (`--exec nettool tcp-echo
// server --listen-fd 3`). CLI11 would read `--listen-fd` as one of ours; a `--` after the option
// word makes it take the rest as positionals, which the subcommand binds to its command vector.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace nt::cli {

// Called from a subcommand's setup: `--exec` starts a command tail.
void register_command_tail(std::string_view option);

// Inserts "--" after the first registered option word in args (in command-line order), unless one
// is already there. Called by parse_command_line before CLI11 sees the words.
void mark_command_tail(std::vector<std::string>& args);

}  // namespace nt::cli
