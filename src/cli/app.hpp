// Everything main does, as a library so tests can drive it with their own command table:
// argv[0] dispatch (nettool-CMD or CMD links), global options, help/list, --install-links, the hidden
// generator --generate-completion SHELL, the one error printer, and CLI11's codes mapped to exit 2.
#pragma once
#include <cstdio>
#include <memory>
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

// The subcommand an argv[0] names ("nettool-ping", "ping", "/usr/bin/nettool-ping"), or "" for nettool.
std::string_view command_from_argv0(std::string_view argv0, std::span<const CommandSpec> commands);

// Creates DIR/nettool-CMD symlinks to `target` for every command; returns how many were made. An
// existing link is replaced; an existing file that is not a link is a UsageError unless `force`.
int install_links(const std::string& dir, const std::string& target, std::span<const CommandSpec> commands,
                  bool force = false);

// The parsed state of the command line, filled by CLI11 while parsing.
struct ParsedCli {
  GlobalOptions global;
  std::string format_name = "text";
  std::string color_name = "auto";
  bool json = false, jsonl = false, ipv4 = false, ipv6 = false;
  std::string install_links_dir;
  bool install_links_given = false;  // --install-links "" is an error, not "not given"
  bool force = false;
  std::string completion_shell;
  std::vector<RunFn> runners;  // parallel to the command table; empty for commands not set up
};

// Which subcommands build_cli sets up. Setting up all ten commands' options (and tearing them down) was
// about a millisecond of every start, so an ordinary run sets up only the command it names.
struct CliScope {
  enum class Kind { every_command, named_command, summaries_only } kind = Kind::every_command;
  std::string_view command;  // for named_command
};

// The scope a command line needs: every command for --generate-completion, the first word naming a
// command, else summaries only (the overview, --version, --install-links).
CliScope scope_for(std::span<const std::string> args, std::span<const CommandSpec> commands);

// The CLI definition (global options and the subcommands the scope asks for). Used by run_main, the
// completion generator and the tests that check man pages and completions against the CLI.
std::unique_ptr<CLI::App> build_cli(std::span<const CommandSpec> commands, ParsedCli& parsed,
                                    CliScope scope = {});

}  // namespace nt::cli
