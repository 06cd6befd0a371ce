#include "output/sink.hpp"

#include <fmt/color.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <system_error>

#include "output/sink_internal.hpp"
#include "sys/error.hpp"

namespace nt::output {

Format parse_format(std::string_view name) {
  if (name == "text") return Format::text;
  if (name == "json") return Format::json;
  if (name == "jsonl") return Format::jsonl;
  if (name == "list") return Format::list;
  throw UsageError(fmt::format("invalid --format '{}': expected text, json, jsonl or list", name));
}

ColorMode parse_color_mode(std::string_view name) {
  if (name == "auto") return ColorMode::auto_;
  if (name == "always") return ColorMode::always;
  if (name == "never") return ColorMode::never;
  throw UsageError(fmt::format("invalid --color '{}': expected auto, always or never", name));
}

bool color_enabled(ColorMode mode, std::FILE* out) {
  if (mode == ColorMode::always) return true;
  if (mode == ColorMode::never) return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  return ::isatty(::fileno(out)) == 1;
}

namespace detail {
// A failed write to stdout: EPIPE means the reader left (quiet stop, handled by main); others are real.
void check_stream(std::FILE* out) {
  errno = 0;  // so a failure without errno (an earlier fwrite's error flag) reads as EIO, not a stale code
  if (std::fflush(out) != 0 || std::ferror(out)) {
    int err = errno ? errno : EIO;
    std::clearerr(out);
    throw std::system_error(err, std::generic_category(), "writing output");
  }
}
}  // namespace detail

namespace {
using detail::check_stream;
using detail::write_all;

fmt::text_style style_for(Tone tone) {
  switch (tone) {
    case Tone::good:
      return fmt::fg(fmt::terminal_color::green);
    case Tone::warn:
      return fmt::fg(fmt::terminal_color::yellow);
    case Tone::bad:
      return fmt::fg(fmt::terminal_color::red);
    case Tone::dim:
      return fmt::emphasis::faint;
    case Tone::bold:
      return fmt::emphasis::bold;
    case Tone::plain:
      break;
  }
  return {};
}

class TextSink final : public Sink {
 public:
  TextSink(std::FILE* out, const SinkOptions& o) : out_(out), opts_(o) {}
  void write(const Record& rec) override {
    if (rec.text.empty() || !shows(rec.level)) return;
    if (opts_.color && rec.tone != Tone::plain) {
      write_all(out_, fmt::format(style_for(rec.tone), "{}", rec.text));
    } else {
      write_all(out_, rec.text);
    }
    write_all(out_, "\n");
    check_stream(out_);
  }
  void finish() override { check_stream(out_); }
  void flush() override { (void)std::fflush(out_); }
  bool shows(Level level) const noexcept override {
    if (level == Level::bulk) return false;
    if (level == Level::verbose) return opts_.verbose;
    return !(opts_.quiet && level == Level::detail);
  }
  // stdout now carries data: the lines go to the diagnostics stream, coloured only if it is a terminal.
  bool leave_stdout() override {
    check_stream(out_);
    out_ = opts_.diagnostics;
    opts_.color = opts_.color && ::isatty(::fileno(out_)) == 1;
    return true;
  }

 private:
  std::FILE* out_;
  SinkOptions opts_;
};

class ListSink final : public Sink {
 public:
  ListSink(std::FILE* out, const SinkOptions& o) : out_(out), verbose_(o.verbose) {}
  void write(const Record& rec) override {
    if (rec.list_item.empty()) return;
    write_all(out_, rec.list_item);
    write_all(out_, "\n");
    check_stream(out_);
  }
  void finish() override { check_stream(out_); }
  void flush() override { (void)std::fflush(out_); }
  bool shows(Level level) const noexcept override {
    return level == Level::verbose ? verbose_ : level != Level::bulk;
  }

 private:
  std::FILE* out_;
  bool verbose_;
};
// NETTOOL_RECORD_LOG: logs each record's JSON form, whatever the format, then hands it on.
class LoggedSink final : public Sink {
 public:
  LoggedSink(std::unique_ptr<Sink> inner, std::shared_ptr<const RecordLog> log)
      : inner_(std::move(inner)), log_(std::move(log)) {}
  void write(const Record& rec) override {
    log_->record(rec.data);
    inner_->write(rec);
  }
  void finish() override { inner_->finish(); }
  void flush() override { inner_->flush(); }
  bool shows(Level level) const noexcept override { return inner_->shows(level); }
  bool leave_stdout() override { return inner_->leave_stdout(); }

 private:
  std::unique_ptr<Sink> inner_;
  std::shared_ptr<const RecordLog> log_;
};

std::unique_ptr<Sink> make_plain_sink(Format format, std::FILE* out, const SinkOptions& opts,
                                      std::shared_ptr<const RecordLog> log) {
  switch (format) {
    case Format::json:
      return detail::make_json_sink(out, opts, std::move(log));
    case Format::jsonl:
      return detail::make_jsonl_sink(out, opts);
    case Format::list:
      return std::make_unique<ListSink>(out, opts);
    case Format::text:
      break;
  }
  return std::make_unique<TextSink>(out, opts);
}
}  // namespace

std::unique_ptr<Sink> make_sink(Format format, std::FILE* out, const SinkOptions& opts) {
  std::shared_ptr<const RecordLog> log = RecordLog::from_environment(opts.command);
  auto sink = make_plain_sink(format, out, opts, log);
  if (!log) return sink;
  return std::make_unique<LoggedSink>(std::move(sink), std::move(log));
}

namespace {
bool is_summary(const Record& rec) {
  auto it = rec.data.find("type");
  if (it == rec.data.end() || !it->is_string()) return false;
  const auto& type = it->get_ref<const std::string&>();
  return type == "summary" || type == "result";
}
}  // namespace

void Output::emit(Record rec) {
  if (is_summary(rec) && !rec.data.contains("schema_version")) rec.data["schema_version"] = kSchemaVersion;
  std::lock_guard lock(mu_);
  sink_->write(rec);
}

bool Output::claim_stdout_for_data() {
  std::lock_guard lock(mu_);
  return sink_->leave_stdout();
}

void Output::flush() {
  std::lock_guard lock(mu_);
  sink_->flush();
}

void Output::finish() {
  std::lock_guard lock(mu_);
  sink_->finish();
}

}  // namespace nt::output
