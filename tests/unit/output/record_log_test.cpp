// NETTOOL_RECORD_LOG: every record in every format, and the json document, land in the log directory.
#include <doctest/doctest.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "output/record_log.hpp"
#include "output/sink.hpp"

using namespace nt::output;
namespace fs = std::filesystem;

namespace {
// A fresh directory named in NETTOOL_RECORD_LOG for the scope's lifetime.
struct LogDir {
  fs::path path;
  LogDir() {
    char templ[] = "/tmp/nettool-record-log-XXXXXX";
    path = ::mkdtemp(templ);
    ::setenv("NETTOOL_RECORD_LOG", path.c_str(), 1);
  }
  ~LogDir() {
    ::unsetenv("NETTOOL_RECORD_LOG");
    fs::remove_all(path);
  }
  // The one file with this extension (CHECKs there is exactly one).
  std::string only(const std::string& ext) const {
    std::string found;
    int count = 0;
    for (const auto& e : fs::directory_iterator(path)) {
      if (e.path().extension() != ext) continue;
      found = e.path();
      ++count;
    }
    CHECK(count == 1);
    std::ifstream in(found);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
};

void run(Format format, const std::string& command) {
  std::FILE* f = std::tmpfile();
  SinkOptions opts;
  opts.command = command;
  Output out(make_sink(format, f, opts), false, false);
  out.emit(Record("reply").set("seq", 1).with_text("reply 1"));
  Record quiet("note");
  quiet.level = Level::bulk;  // never shown in text mode, still logged
  out.emit(std::move(quiet));
  out.emit(Record("summary").set("received", 1).with_text("1 received").essential());
  out.finish();
  std::fclose(f);
}
}  // namespace

TEST_CASE("record log: base path uses the command's first word, or nettool") {
  CHECK(RecordLog::base_path("/d", "ping", 42, 0) == "/d/ping.42.0");
  CHECK(RecordLog::base_path("/d", "tcp-echo server", 7, 3) == "/d/tcp-echo.7.3");
  CHECK(RecordLog::base_path("/d", "", 7, 1) == "/d/nettool.7.1");
}

TEST_CASE("record log: unset means no log") {
  ::unsetenv("NETTOOL_RECORD_LOG");
  CHECK(RecordLog::from_environment("ping") == nullptr);
  ::setenv("NETTOOL_RECORD_LOG", "", 1);
  CHECK(RecordLog::from_environment("ping") == nullptr);
  ::unsetenv("NETTOOL_RECORD_LOG");
}

TEST_CASE("record log: text mode logs every record as one JSON line") {
  LogDir dir;
  run(Format::text, "ping");
  const std::string lines = dir.only(".jsonl");
  CHECK(lines ==
        "{\"type\":\"reply\",\"seq\":1}\n{\"type\":\"note\"}\n"
        "{\"type\":\"summary\",\"received\":1,\"schema_version\":1}\n");
}

TEST_CASE("record log: json mode also logs the whole document") {
  LogDir dir;
  run(Format::json, "tcp-echo client");
  auto doc = nlohmann::json::parse(dir.only(".json"));
  CHECK(doc["command"] == "tcp-echo client");
  CHECK(doc["records"].size() == 3);
  CHECK(doc["dropped_records"] == 0);
  for (const auto& e : fs::directory_iterator(dir.path))
    CHECK(e.path().filename().string().starts_with("tcp-echo."));
}

TEST_CASE("record log: jsonl and list modes log the records too") {
  for (Format f : {Format::jsonl, Format::list}) {
    LogDir dir;
    run(f, "portscan");
    const std::string lines = dir.only(".jsonl");
    CHECK(std::count(lines.begin(), lines.end(), '\n') == 3);
  }
}
