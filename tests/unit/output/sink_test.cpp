// Every sink's exact output for one fixed record sequence.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <string>

#include "output/sink.hpp"
#include "sys/error.hpp"

using namespace nt::output;

namespace {
std::string read_all(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  return out;
}

// listening (detail), reply (detail, list item), verbose-only note, summary (essential).
void emit_sequence(Output& out) {
  out.emit(Record("listening").set("address", "127.0.0.1:7").with_text("listening on 127.0.0.1:7"));
  Record reply("reply");
  reply.set("seq", 1).set("rtt_ms", 0.25).with_text("reply seq=1 rtt=0.250 ms", Tone::good);
  reply.list_item = "127.0.0.1:7";
  out.emit(std::move(reply));
  Record note("note");
  note.set("detail", "x").with_text("verbose note");
  note.level = Level::verbose;
  out.emit(std::move(note));
  out.emit(Record("summary").set("received", 1).with_text("1 received").essential());
}

SinkOptions with(bool color, bool quiet, bool verbose) {
  SinkOptions o;
  o.color = color;
  o.quiet = quiet;
  o.verbose = verbose;
  return o;
}

std::string render(Format format, SinkOptions opts = {}) {
  std::FILE* f = std::tmpfile();
  opts.command = "demo";
  {
    Output out(make_sink(format, f, opts), opts.verbose, opts.quiet);
    emit_sequence(out);
    out.finish();
  }
  std::string s = read_all(f);
  std::fclose(f);
  return s;
}
}  // namespace

TEST_CASE("text sink prints the human lines") {
  CHECK(render(Format::text) == "listening on 127.0.0.1:7\nreply seq=1 rtt=0.250 ms\n1 received\n");
}

TEST_CASE("text sink: quiet keeps essentials, verbose adds verbose records") {
  CHECK(render(Format::text, with(false, true, false)) == "1 received\n");
  CHECK(render(Format::text, with(false, false, true)) ==
        "listening on 127.0.0.1:7\nreply seq=1 rtt=0.250 ms\nverbose note\n1 received\n");
}

TEST_CASE("text sink colours by tone only when asked") {
  std::string coloured = render(Format::text, with(true, false, false));
  CHECK(coloured.find("\x1b[32mreply seq=1") != std::string::npos);
  CHECK(render(Format::text).find('\x1b') == std::string::npos);
}

TEST_CASE("jsonl sink: one object per line, schema_version on summary") {
  CHECK(render(Format::jsonl) ==
        "{\"type\":\"listening\",\"address\":\"127.0.0.1:7\"}\n"
        "{\"type\":\"reply\",\"seq\":1,\"rtt_ms\":0.25}\n"
        "{\"type\":\"note\",\"detail\":\"x\"}\n"
        "{\"type\":\"summary\",\"received\":1,\"schema_version\":1}\n");
}

TEST_CASE("json sink: exactly one document with every record") {
  std::string text = render(Format::json);
  auto doc = nlohmann::json::parse(text);
  CHECK(doc["command"] == "demo");
  CHECK(doc["schema_version"] == 1);
  REQUIRE(doc["records"].size() == 4);
  CHECK(doc["records"][1]["rtt_ms"] == 0.25);
  CHECK(doc["records"][3]["type"] == "summary");
  CHECK(text.back() == '\n');
}

TEST_CASE("list sink prints list items only") {
  CHECK(render(Format::list) == "127.0.0.1:7\n");
}

TEST_CASE("json sink is a valid document after an interrupted run") {
  // An interrupted command stops emitting mid-way; main still calls finish() exactly as here.
  std::FILE* f = std::tmpfile();
  {
    Output out(make_sink(Format::json, f, SinkOptions{}), false, false);
    out.emit(Record("reply").set("seq", 1));
    out.finish();
    out.finish();  // idempotent: a second finish must not append a second document
  }
  std::string s = read_all(f);
  std::fclose(f);
  auto doc = nlohmann::json::parse(s);
  CHECK(doc["records"].size() == 1);
}

TEST_CASE("json and jsonl print the same number the same way (10 is 10, 10.0 is 10.0 in both)") {
  auto emit_in = [](Format format) {
    std::FILE* f = std::tmpfile();
    {
      Output out(make_sink(format, f, SinkOptions{}), false, false);
      out.emit(Record("reply").set("count", 10).set("interval_s", 10.0).set("rtt_ms", 0.1 + 0.2));
      out.finish();
    }
    std::string s = read_all(f);
    std::fclose(f);
    std::string compact;
    for (char c : s)
      if (c != ' ' && c != '\n') compact += c;
    return compact;
  };
  const std::string json = emit_in(Format::json), jsonl = emit_in(Format::jsonl);
  for (const char* field : {"\"count\":10,", "\"interval_s\":10.0,", "\"rtt_ms\":0.30000000000000004"}) {
    CAPTURE(field);
    CHECK(json.find(field) != std::string::npos);
    CHECK(jsonl.find(field) != std::string::npos);
  }
}

TEST_CASE("invalid UTF-8 in a record does not break the JSON") {
  std::FILE* f = std::tmpfile();
  Output out(make_sink(Format::jsonl, f, {}), false, false);
  out.emit(Record("banner").set("text", std::string("a\xff"
                                                    "b")));
  out.finish();
  auto line = read_all(f);
  std::fclose(f);
  CHECK_NOTHROW(nlohmann::json::parse(line));
}

TEST_CASE("format and colour names") {
  CHECK(parse_format("jsonl") == Format::jsonl);
  CHECK_THROWS_AS(parse_format("yaml"), nt::UsageError);
  CHECK(parse_color_mode("never") == ColorMode::never);
  CHECK_THROWS_AS(parse_color_mode("sometimes"), nt::UsageError);
  CHECK(color_enabled(ColorMode::always, stdout));
  CHECK_FALSE(color_enabled(ColorMode::never, stdout));
  std::FILE* f = std::tmpfile();
  CHECK_FALSE(color_enabled(ColorMode::auto_, f));  // not a terminal
  std::fclose(f);
}

TEST_CASE("wants: what each format shows, so subcommands never read --format") {
  auto wants = [](Format f, SinkOptions o, Level l) {
    std::FILE* file = std::tmpfile();
    bool w = Output(make_sink(f, file, o), o.verbose, o.quiet).wants(l);
    std::fclose(file);
    return w;
  };
  CHECK(wants(Format::text, {}, Level::detail));
  CHECK_FALSE(wants(Format::text, with(false, true, false), Level::detail));  // -q
  CHECK(wants(Format::text, with(false, true, false), Level::essential));
  CHECK_FALSE(wants(Format::text, {}, Level::verbose));
  CHECK(wants(Format::text, with(false, false, true), Level::verbose));
  CHECK_FALSE(wants(Format::text, with(false, false, true), Level::bulk));
  CHECK_FALSE(wants(Format::list, {}, Level::bulk));
  for (Format f : {Format::json, Format::jsonl}) {
    CAPTURE(static_cast<int>(f));
    CHECK(wants(f, with(false, true, false), Level::detail));  // -q is for text
    CHECK(wants(f, {}, Level::bulk));
    CHECK_FALSE(wants(f, {}, Level::verbose));
    CHECK(wants(f, with(false, false, true), Level::verbose));
  }
}

TEST_CASE("stdout for data: text records move to the diagnostics stream, machine formats refuse") {
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  SinkOptions o;
  o.diagnostics = err;
  {
    Output text(make_sink(Format::text, out, o), false, false);
    text.emit(Record("listening").with_text("before"));
    CHECK(text.claim_stdout_for_data());
    text.emit(Record("summary").with_text("after").essential());
    text.finish();
  }
  CHECK(read_all(out) == "before\n");
  CHECK(read_all(err) == "after\n");
  for (Format f : {Format::json, Format::jsonl, Format::list}) {
    Output machine(make_sink(f, out, o), false, false);
    CHECK_FALSE(machine.claim_stdout_for_data());
  }
  std::fclose(out);
  std::fclose(err);
}

TEST_CASE("json sink keeps the first event records and counts the rest; jsonl streams them all") {
  SinkOptions o;
  o.max_kept_events = 10;
  std::FILE* f = std::tmpfile();
  {
    Output out(make_sink(Format::json, f, o), false, false);
    out.emit(Record("listening"));
    for (int i = 0; i < 10000; ++i) out.emit(Record("accepted").set("conn_id", i).as_event());
    out.emit(Record("summary").set("connections", 10000).essential());
    out.finish();
  }
  auto doc = nlohmann::json::parse(read_all(f));
  std::fclose(f);
  REQUIRE(doc["records"].size() == 12);
  CHECK(doc["records"][10]["conn_id"] == 9);
  CHECK(doc["records"][11]["type"] == "summary");
  CHECK(doc["dropped_records"] == 9990);
  std::FILE* g = std::tmpfile();
  {
    Output out(make_sink(Format::jsonl, g, o), false, false);
    for (int i = 0; i < 100; ++i) out.emit(Record("accepted").set("conn_id", i).as_event());
    out.finish();
  }
  std::string lines = read_all(g);
  std::fclose(g);
  CHECK(std::count(lines.begin(), lines.end(), '\n') == 100);
}
