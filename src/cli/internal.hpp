// Pieces of run_main, split out to keep each unit small. Not for subcommands.
#pragma once
#include <cstdio>
#include <exception>
#include <span>
#include <string>
#include <vector>

#include "cli/app.hpp"

namespace nt::cli {

// The one error printer: "nettool <cmd>: <context>: <cause>" on stderr, quiet on EPIPE, and a final
// {"type":"error"} record when an Output is given (json/jsonl modes).
class ErrorReporter {
 public:
  explicit ErrorReporter(std::FILE* err) : err_(err) {}
  void set_command(std::string command) { command_ = std::move(command); }
  const std::string& command() const noexcept { return command_; }
  // Prints the error and returns its exit code.
  int report(const std::exception& e, output::Output* out);
  void usage(const std::string& message);  // one line, for CLI11 parse failures
  const std::string& last_message() const noexcept { return last_message_; }

 private:
  std::FILE* err_;
  std::string command_;
  std::string last_message_;
};

// After a command line CLI11 rejected: when its words ask for json or jsonl (read without CLI11, which
// gave up), the usage error also goes to stdout as an `error` record, so `| jq` gets valid input.
void emit_usage_record(std::span<const std::string> args, const Streams& streams,
                       const ErrorReporter& reporter);

// Parses args with CLI11. Returns -1 to continue, or the exit code to return now (help: 0,
// usage errors: 2 with "did you mean" for unknown subcommands and options).
int parse_command_line(CLI::App& app, std::vector<std::string>& args, const Streams& streams,
                       ErrorReporter& reporter);

// Builds the sink chosen by the global options, opens the --pcap capture (refused with exit 2 unless
// `supports_pcap`), runs the command, stops the capture, finishes the output (the json document is
// complete even after Ctrl-C or an error) and returns the exit code.
int run_command(const ParsedCli& parsed, const RunFn& run, bool supports_pcap, const Streams& streams,
                ErrorReporter& reporter);

}  // namespace nt::cli
