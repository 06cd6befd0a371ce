// Shell completions generated from the CLI11 definition itself, so they cannot drift from the CLI.
// completions/ holds the generated files; a test regenerates and compares them.
#pragma once
#include <string>
#include <string_view>

namespace CLI {
class App;
}

namespace nt::cli {

enum class Shell { bash, zsh, fish };
Shell parse_shell(std::string_view name);  // throws UsageError
std::string generate_completion(const CLI::App& app, Shell shell);

// Every long option of a subcommand (and its nested subcommands), e.g. for the man-page test.
std::string list_options(const CLI::App& app);

}  // namespace nt::cli
