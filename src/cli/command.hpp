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

namespace nt::capture {
class SelfCapture;
class TrafficFilter;
}  // namespace nt::capture

namespace nt::cli {

struct GlobalOptions {
  output::Format format = output::Format::text;
  output::ColorMode color = output::ColorMode::auto_;
  bool quiet = false;
  int verbose = 0;
  int family = AF_UNSPEC;  // -4: AF_INET, -6: AF_INET6
  std::string pcap_file;   // --pcap FILE: capture the command's own traffic ("" when not asked)
};

// What a running subcommand gets: where its records go, the global options (-4/-6, -v…), `warn`
// for bad input it reports and then carries on past (one line on stderr: "nettool CMD: message"), and
// `capture`, the one --pcap hook.
struct Runtime {
  output::Output& out;
  const GlobalOptions& global;
  std::function<void(const std::string&)> warn = [](const std::string&) {};
  capture::SelfCapture* pcap = nullptr;  // set by run_command when --pcap was given

  // Call once the sockets exist and before the first packet leaves, with the traffic they will
  // exchange (again to narrow it, e.g. with the local port once connected). Nothing without --pcap.
  // Throws UsageError when the traffic cannot be captured (a unix socket).
  void capture(const capture::TrafficFilter& traffic) const;
};

using RunFn = std::function<int(Runtime&)>;
using SetupFn = RunFn (*)(CLI::App&);

struct CommandSpec {
  std::string_view name;
  std::string_view summary;
  SetupFn setup;
  bool supports_pcap = false;  // Runtime::capture describes its traffic; others refuse --pcap (exit 2)
};

}  // namespace nt::cli
