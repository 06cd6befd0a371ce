// Records: what a subcommand reports. Each carries its machine form (JSON object with "type") and its
// human form (one or more lines of text). Subcommands build records; sinks decide what to print.
#pragma once
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace nt::output {

using Json = nlohmann::ordered_json;

inline constexpr int kSchemaVersion = 1;

// How the text sink colours a record's text on a terminal.
enum class Tone { plain, good, warn, bad, dim, bold };

// Which records text mode shows: -q hides `detail`; `verbose` only with -v; `bulk` never (records that
// come faster than a person reads, e.g. ping -f's replies). JSON modes emit every record they are
// given. A subcommand asks Output::wants(level) before building a record, never the format.
enum class Level { detail, essential, verbose, bulk };

struct Record {
  Json data;              // always an object with "type" first
  std::string text;       // human form; empty: nothing printed in text mode
  std::string list_item;  // `--format list` form (e.g. host:port); empty: not listed
  Tone tone = Tone::plain;
  Level level = Level::detail;
  // One of a long-running server's many per-connection or per-datagram records: text and jsonl stream
  // it; the json document keeps only the first SinkOptions::max_kept_events and counts the rest.
  bool event = false;

  explicit Record(std::string_view type) : data(Json::object({{"type", type}})) {}
  std::string type() const { return data.value("type", ""); }

  // Chainable setters: rec.set("rtt_ms", 0.12).set("seq", 3)
  template <typename T>
  Record& set(std::string_view key, T&& value) {
    data[std::string(key)] = std::forward<T>(value);
    return *this;
  }
  Record& with_text(std::string t, Tone tone_ = Tone::plain) {
    text = std::move(t);
    tone = tone_;
    return *this;
  }
  Record& essential() {
    level = Level::essential;
    return *this;
  }
  Record& as_event() {
    event = true;
    return *this;
  }
};

}  // namespace nt::output
