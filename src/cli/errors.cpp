#include <fmt/format.h>

#include <cerrno>
#include <memory>
#include <system_error>

#include "cli/internal.hpp"
#include "output/escape.hpp"
#include "pcap/self_capture.hpp"
#include "sys/error.hpp"

namespace nt::cli {

namespace {
bool is_broken_pipe(const std::exception& e) {
  if (const auto* sys = dynamic_cast<const std::system_error*>(&e)) {
    if (sys->code().value() == EPIPE && sys->code().category() == std::generic_category()) return true;
  }
  try {
    std::rethrow_if_nested(e);
  } catch (const std::exception& inner) {
    return is_broken_pipe(inner);
  } catch (...) {
  }
  return false;
}

// One line, and nothing a terminal would act on: arguments and file contents are echoed into messages
// (`portscan $'a\e[2Jb'`), so control characters and invalid UTF-8 are shown as \xNN.
std::string one_line(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return output::escape_for_terminal(s);
}
}  // namespace

void ErrorReporter::usage(const std::string& message) {
  std::string prefix = command_.empty() ? "nettool" : "nettool " + command_;
  last_message_ = one_line(message);
  std::fprintf(err_, "%s: %s\n", prefix.c_str(), last_message_.c_str());
  std::fflush(err_);
}

namespace {
output::Format requested_format(std::span<const std::string> args) {
  output::Format format = output::Format::text;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view name;
    if (args[i] == "--json" || args[i] == "--jsonl")
      name = std::string_view(args[i]).substr(2);
    else if (args[i] == "--format" && i + 1 < args.size())
      name = args[i + 1];
    else if (args[i].starts_with("--format="))
      name = std::string_view(args[i]).substr(9);
    else
      continue;
    try {
      format = output::parse_format(name);
    } catch (const std::exception&) {
      // --format with a bad name: that is likely the very usage error; keep what was asked before
    }
  }
  return format;
}
}  // namespace

void emit_usage_record(std::span<const std::string> args, const Streams& streams,
                       const ErrorReporter& reporter) {
  const output::Format format = requested_format(args);
  if (format != output::Format::json && format != output::Format::jsonl) return;
  output::SinkOptions opts;
  opts.command = reporter.command();
  output::Output out(output::make_sink(format, streams.out, opts), false, false);
  output::Record rec("error");
  rec.set("command", reporter.command()).set("message", reporter.last_message()).set("exit_code", kExitUsage);
  out.emit(std::move(rec));
  out.finish();
}

int ErrorReporter::report(const std::exception& e, output::Output* out) {
  if (is_broken_pipe(e)) return kExitOk;  // the reader left (`| head`): nothing to say, nobody to say it to
  int code = exit_code_of(e);
  std::string message = one_line(describe(e));
  usage(message);
  if (out) {
    try {
      output::Record rec("error");
      rec.set("command", command_).set("message", message).set("exit_code", code);
      out->emit(std::move(rec));
    } catch (const std::exception&) {
      // stdout itself failed; the message is already on stderr
    }
  }
  return code;
}

void Runtime::capture(const capture::TrafficFilter& traffic) const {
  if (pcap) pcap->record(traffic);
}

namespace {
std::unique_ptr<capture::SelfCapture> open_self_capture(const GlobalOptions& global, bool supported,
                                                        const std::string& command) {
  if (global.pcap_file.empty()) return nullptr;
  if (!supported) throw UsageError(fmt::format("--pcap is not supported by {} yet", command));
  return std::make_unique<capture::SelfCapture>(global.pcap_file);
}
}  // namespace

int run_command(const ParsedCli& parsed, const RunFn& run, bool supports_pcap, const Streams& streams,
                ErrorReporter& reporter) {
  output::SinkOptions opts;
  opts.color = output::color_enabled(parsed.global.color, streams.out);
  opts.quiet = parsed.global.quiet;
  opts.verbose = parsed.global.verbose > 0;
  opts.command = reporter.command();
  output::Output out(output::make_sink(parsed.global.format, streams.out, opts), opts.verbose, opts.quiet);
  output::Output* error_out = parsed.global.format == output::Format::text ? nullptr : &out;
  Runtime rt{out, parsed.global, [&reporter](const std::string& message) { reporter.usage(message); }};
  std::unique_ptr<capture::SelfCapture> pcap;
  int code = kExitOk;
  try {
    pcap = open_self_capture(parsed.global, supports_pcap, reporter.command());  // before any socket
    rt.pcap = pcap.get();
    code = run(rt);
  } catch (const std::exception& e) {
    code = reporter.report(e, error_out);
  }
  try {
    if (pcap) pcap->stop();  // after the last packet: also after Ctrl-C and errors
    if (pcap && pcap->packets_dropped() > 0)
      reporter.usage(fmt::format("--pcap: the kernel dropped {} packets (ring full): {} is incomplete",
                                 pcap->packets_dropped(), parsed.global.pcap_file));
  } catch (const std::exception& e) {
    int stop_code = reporter.report(e, error_out);
    if (code == kExitOk) code = stop_code;
  }
  try {
    out.finish();
  } catch (const std::exception& e) {
    int finish_code = reporter.report(e, nullptr);
    if (code == kExitOk) code = finish_code;
  }
  return code;
}

}  // namespace nt::cli
