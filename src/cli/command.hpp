// The contract between main and a subcommand. A subcommand's `setup(CLI::App&)` binds its options to an
// options struct it owns and returns the function that will run it; CLI11 callbacks never run commands.
#pragma once
#include <sys/socket.h>

#include <functional>
#include <string>
#include <string_view>

#include "output/sink.hpp"

namespace CLI {
class App;
}

namespace nt::cli {

struct GlobalOptions {
  output::Format format = output::Format::text;
  output::ColorMode color = output::ColorMode::auto_;
  bool quiet = false;
  int verbose = 0;
  int family = AF_UNSPEC;  // -4: AF_INET, -6: AF_INET6
};

// What a running subcommand gets: where its records go, the global options (-4/-6, -v…), and `warn`
// for bad input it reports and then carries on past (one line on stderr: "nettool CMD: message").
struct Runtime {
  output::Output& out;
  const GlobalOptions& global;
  std::function<void(const std::string&)> warn = [](const std::string&) {};
};

using RunFn = std::function<int(Runtime&)>;
using SetupFn = RunFn (*)(CLI::App&);

struct CommandSpec {
  std::string_view name;
  std::string_view summary;
  SetupFn setup;
};

}  // namespace nt::cli
