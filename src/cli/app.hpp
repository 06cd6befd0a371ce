// Everything main does, as a library function so tests can drive it with their own command table:
// argv[0] dispatch (nettool-CMD or CMD links), global options, help/list, --install-links, the
// hidden generators (--generate-completion SHELL), the one error printer, CLI11 codes → exit 2.
#pragma once
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/command.hpp"

namespace nt::cli {

struct Streams {
  std::FILE* out = stdout;
  std::FILE* err = stderr;
};

int run_main(int argc, const char* const* argv, std::span<const CommandSpec> commands,
             const Streams& streams = {});

// The subcommand an argv[0] names ("nettool-ping", "ping", "/usr/bin/ping"), or empty for nettool.
std::string_view command_from_argv0(std::string_view argv0, std::span<const CommandSpec> commands);

// Creates DIR/nettool-CMD symlinks to `target` for every command; returns how many were made.
int install_links(const std::string& dir, const std::string& target, std::span<const CommandSpec> commands);

}  // namespace nt::cli
