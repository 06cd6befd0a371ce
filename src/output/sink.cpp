#include "output/sink.hpp"

#include <fmt/color.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <system_error>

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

namespace {
// A failed write to stdout: EPIPE means the reader left (quiet stop, handled by main); others are real.
void check_stream(std::FILE* out) {
  errno = 0;  // so a failure without errno (an earlier fwrite's error flag) reads as EIO, not a stale code
  if (std::fflush(out) != 0 || std::ferror(out)) {
    int err = errno ? errno : EIO;
    std::clearerr(out);
    throw std::system_error(err, std::generic_category(), "writing output");
  }
}

void write_all(std::FILE* out, std::string_view s) {
  if (!s.empty()) std::fwrite(s.data(), 1, s.size(), out);
}

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
    if (rec.text.empty() || !visible(rec)) return;
    if (opts_.color && rec.tone != Tone::plain) {
      write_all(out_, fmt::format(style_for(rec.tone), "{}", rec.text));
    } else {
      write_all(out_, rec.text);
    }
    write_all(out_, "\n");
    check_stream(out_);
  }
  void finish() override { check_stream(out_); }

 private:
  bool visible(const Record& rec) const {
    if (rec.level == Level::verbose) return opts_.verbose;
    return !(opts_.quiet && rec.level == Level::detail);
  }
  std::FILE* out_;
  SinkOptions opts_;
};

class JsonlSink final : public Sink {
 public:
  explicit JsonlSink(std::FILE* out) : out_(out) {}
  void write(const Record& rec) override {
    write_all(out_, rec.data.dump(-1, ' ', false, Json::error_handler_t::replace));
    write_all(out_, "\n");
    check_stream(out_);
  }
  void finish() override { check_stream(out_); }

 private:
  std::FILE* out_;
};

// One document: {"command": ..., "schema_version": 1, "records": [...]}, written by finish().
class JsonSink final : public Sink {
 public:
  JsonSink(std::FILE* out, std::string command) : out_(out) {
    doc_["command"] = std::move(command);
    doc_["schema_version"] = kSchemaVersion;
    doc_["records"] = Json::array();
  }
  void write(const Record& rec) override { doc_["records"].push_back(rec.data); }
  void finish() override {
    if (finished_) return;
    finished_ = true;
    write_all(out_, doc_.dump(2, ' ', false, Json::error_handler_t::replace));
    write_all(out_, "\n");
    check_stream(out_);
  }

 private:
  std::FILE* out_;
  Json doc_;
  bool finished_ = false;
};

class ListSink final : public Sink {
 public:
  explicit ListSink(std::FILE* out) : out_(out) {}
  void write(const Record& rec) override {
    if (rec.list_item.empty()) return;
    write_all(out_, rec.list_item);
    write_all(out_, "\n");
    check_stream(out_);
  }
  void finish() override { check_stream(out_); }

 private:
  std::FILE* out_;
};
}  // namespace

std::unique_ptr<Sink> make_sink(Format format, std::FILE* out, const SinkOptions& opts) {
  switch (format) {
    case Format::json:
      return std::make_unique<JsonSink>(out, opts.command);
    case Format::jsonl:
      return std::make_unique<JsonlSink>(out);
    case Format::list:
      return std::make_unique<ListSink>(out);
    case Format::text:
      break;
  }
  return std::make_unique<TextSink>(out, opts);
}

void Output::emit(Record rec) {
  std::string type = rec.type();
  if ((type == "summary" || type == "result") && !rec.data.contains("schema_version")) {
    rec.data["schema_version"] = kSchemaVersion;
  }
  std::lock_guard lock(mu_);
  sink_->write(rec);
}

void Output::finish() {
  std::lock_guard lock(mu_);
  sink_->finish();
}

}  // namespace nt::output
