// Sinks: text (people), json (one document at the end, even after Ctrl-C or an error), jsonl (one
// object per record, flushed at once), list (one item per line, for the next tool).
#pragma once
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
  std::string command;  // for the json document's "command" key
};

class Sink {
 public:
  virtual ~Sink() = default;
  virtual void write(const Record& rec) = 0;
  // Completes the output (the json document); safe to call more than once.
  virtual void finish() = 0;
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
  bool verbose() const noexcept { return verbose_; }
  bool quiet() const noexcept { return quiet_; }

 private:
  std::mutex mu_;
  std::unique_ptr<Sink> sink_;
  bool verbose_;
  bool quiet_;
};

}  // namespace nt::output
