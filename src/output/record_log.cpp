#include "output/record_log.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>

namespace nt::output {

namespace {
int open_for_append(const std::string& path) noexcept {
  return ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

// One write(2) per record on an O_APPEND descriptor: lines from several processes (a forked child
// writing to the same file) never interleave.
void write_all(int fd, const std::string& text) noexcept {
  std::string_view rest = text;
  while (!rest.empty()) {
    const ssize_t n = ::write(fd, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
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

RecordLog::~RecordLog() {
  if (records_fd_ >= 0) ::close(records_fd_);
}

void RecordLog::record(const Json& data) const noexcept {
  try {
    if (records_fd_ < 0) records_fd_ = open_for_append(base_ + ".jsonl");
    if (records_fd_ >= 0) write_all(records_fd_, dump(data, -1));
  } catch (...) {
    // std::bad_alloc while formatting: the record is still printed; only the log misses it
  }
}

void RecordLog::document(const Json& doc) const noexcept {
  try {
    const int fd = open_for_append(base_ + ".json");
    if (fd < 0) return;
    write_all(fd, dump(doc, 2));
    ::close(fd);
  } catch (...) {
    // as above
  }
}

}  // namespace nt::output
