// Sinks: text (people), json (one document at the end, even after Ctrl-C or an error), jsonl (one
// object per record, flushed within 50 ms: at once after a quiet spell, batched when records stream),
// list (one item per line, for the next tool).
#pragma once
#include <cstddef>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "output/record.hpp"

namespace nt::output {

enum class Format { text, json, jsonl, list };
enum class ColorMode { auto_, always, never };

// Throws UsageError for anything but text|json|jsonl|list.
Format parse_format(std::string_view name);
ColorMode parse_color_mode(std::string_view name);
// auto: only when `out` is a terminal and NO_COLOR is unset or empty (https://no-color.org).
bool color_enabled(ColorMode mode, std::FILE* out);

struct SinkOptions {
  bool color = false;
  bool quiet = false;
  bool verbose = false;
  std::string command;                 // for the json document's "command" key
  std::FILE* diagnostics = stderr;     // where text goes once stdout carries data
  std::size_t max_kept_events = 1000;  // json: event records kept; the rest only counted
};

class Sink {
 public:
  virtual ~Sink() = default;
  virtual void write(const Record& rec) = 0;
  // Completes the output (the json document); safe to call more than once.
  virtual void finish() = 0;
  // Writes out what is buffered now (before a fork: a child's output must come after ours).
  virtual void flush() {}
  // Whether write() shows records of this level at all.
  virtual bool shows(Level level) const noexcept = 0;
  // Gives stdout to the command's data; false when this sink's records need it (machine formats).
  virtual bool leave_stdout() { return false; }
};

std::unique_ptr<Sink> make_sink(Format format, std::FILE* out, const SinkOptions& opts);

// What subcommands hold: thread-safe, adds schema_version to `summary`/`result` records, and turns
// write errors on stdout into a quiet stop (EPIPE: the reader went away, e.g. `| head`).
class Output {
 public:
  Output(std::unique_ptr<Sink> sink, bool verbose, bool quiet)
      : sink_(std::move(sink)), verbose_(verbose), quiet_(quiet) {}
  void emit(Record rec);
  void finish();
  // Records emitted so far reach stdout now (json: the document still waits for finish()).
  void flush();
  // Would a record of this level be shown? Ask before building one; never look at --format.
  bool wants(Level level) const noexcept { return sink_->shows(level); }
  // Pipe-style clients (tcp-echo client --stdin): asks for stdout to carry the command's data.
  // Granted in text mode, where text records then go to stderr; refused in json, jsonl and list,
  // where stdout carries records (the caller then does not copy its data to stdout).
  bool claim_stdout_for_data();
  bool verbose() const noexcept { return verbose_; }
  bool quiet() const noexcept { return quiet_; }

 private:
  std::mutex mu_;
  std::unique_ptr<Sink> sink_;
  bool verbose_;
  bool quiet_;
};

}  // namespace nt::output
