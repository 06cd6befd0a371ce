// A testing hook: with NETTOOL_RECORD_LOG=DIR in the environment, every sink also appends the JSON
// form of each record it is given (in every --format, text included) to DIR/<cmd>.<pid>.<n>.jsonl,
// and the json sink writes its whole document to DIR/<cmd>.<pid>.<n>.json, so the integration tests
// can validate every record they cause against schemas/<cmd>.schema.json (tests/integration/
// schema_check.py). Not for users; documented in nettool(1), ENVIRONMENT.
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "output/record.hpp"

namespace nt::output {

class RecordLog {
 public:
  // Null when NETTOOL_RECORD_LOG is unset or empty. Read with secure_getenv: a setuid or setcap run
  // (AT_SECURE) never lets the environment pick a file to write.
  static std::shared_ptr<RecordLog> from_environment(std::string_view command);

  // `base` is the path without extension: records go to base + ".jsonl", the document to base + ".json".
  explicit RecordLog(std::string base) : base_(std::move(base)) {}
  ~RecordLog();
  RecordLog(const RecordLog&) = delete;
  RecordLog& operator=(const RecordLog&) = delete;
  // The file stem for a command in dir: the first word of the command ("tcp-echo server" → tcp-echo;
  // "" → nettool, for a usage error before any command was recognised), the pid and a per-process count.
  static std::string base_path(std::string_view dir, std::string_view command, long pid, unsigned serial);

  // Best effort, never throws: a log that cannot be written only makes the schema check report it.
  // Not thread-safe by itself: Output's mutex serialises the calls.
  void record(const Json& data) const noexcept;
  void document(const Json& doc) const noexcept;

 private:
  std::string base_;
  mutable int records_fd_ = -1;  // opened at the first record: a portscan logs 65536 of them
};

}  // namespace nt::output
