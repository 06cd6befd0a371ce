#include "output/record_log.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>

namespace nt::output {

namespace {
// One write(2) per record on an O_APPEND descriptor: lines from several threads or processes (a
// forked child sharing the directory) never interleave.
void append(const std::string& path, const std::string& text) noexcept {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return;
  std::string_view rest = text;
  while (!rest.empty()) {
    const ssize_t n = ::write(fd, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
  ::close(fd);
}

std::string dump(const Json& data, int indent) {
  return data.dump(indent, ' ', false, Json::error_handler_t::replace) + "\n";
}
}  // namespace

std::shared_ptr<RecordLog> RecordLog::from_environment(std::string_view command) {
  static std::atomic<unsigned> serial{0};
  const char* dir = ::secure_getenv("NETTOOL_RECORD_LOG");
  if (dir == nullptr || *dir == '\0') return nullptr;
  return std::make_shared<RecordLog>(base_path(dir, command, ::getpid(), serial++));
}

std::string RecordLog::base_path(std::string_view dir, std::string_view command, long pid, unsigned serial) {
  std::string_view first = command.substr(0, command.find(' '));
  if (first.empty()) first = "nettool";
  return fmt::format("{}/{}.{}.{}", dir, first, pid, serial);
}

void RecordLog::record(const Json& data) const noexcept {
  try {
    append(base_ + ".jsonl", dump(data, -1));
  } catch (...) {
    // std::bad_alloc while formatting: the record is still printed; only the log misses it
  }
}

void RecordLog::document(const Json& doc) const noexcept {
  try {
    append(base_ + ".json", dump(doc, 2));
  } catch (...) {
    // as above
  }
}

}  // namespace nt::output
