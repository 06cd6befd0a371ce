#include "net/target_file.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include "sys/error.hpp"

namespace nt::net {

namespace {

[[noreturn]] void bad(const std::string& source, const std::string& problem) {
  throw UsageError(fmt::format("invalid target list {}: {}", source, problem));
}

// One line without its '\n'; false at the end of input. Reads at most limits.max_line + 1 bytes, so
// /dev/zero or a binary costs one bounded buffer, never the whole input.
bool next_line(std::streambuf& in, std::string& line, std::size_t& total, std::size_t number,
               const std::string& source, const TargetFileLimits& limits) {
  line.clear();
  for (int c = in.sbumpc(); c != std::char_traits<char>::eof(); c = in.sbumpc()) {
    if (++total > limits.max_bytes) bad(source, fmt::format("larger than {} bytes", limits.max_bytes));
    if (c == '\n') return true;
    if (c == '\0') bad(source, fmt::format("line {} holds a NUL byte (not a text file?)", number));
    if (line.size() == limits.max_line)
      bad(source, fmt::format("line {} is longer than {} bytes", number, limits.max_line));
    line.push_back(static_cast<char>(c));
  }
  return !line.empty();
}

}  // namespace

std::vector<std::string> read_target_lines(std::istream& in, const std::string& source,
                                           const TargetFileLimits& limits) {
  std::vector<std::string> out;
  std::string line;
  std::size_t total = 0, targets = 0;
  if (!in.rdbuf()) return out;
  for (std::size_t number = 1; next_line(*in.rdbuf(), line, total, number, source, limits); ++number) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    const auto last = line.find_last_not_of(" \t\r");
    if (++targets <= limits.max_targets) out.push_back(line.substr(first, last - first + 1));
  }
  if (targets > limits.max_targets)
    bad(source, fmt::format("{} targets, at most {} per list", targets, limits.max_targets));
  return out;
}

std::vector<std::string> read_target_file(const std::string& path, const TargetFileLimits& limits) {
  if (path == "-") return read_target_lines(std::cin, "standard input", limits);
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    throw UsageError(fmt::format("invalid --file '{}': is a directory", path));
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw UsageError(fmt::format("invalid --file '{}': cannot read it: {}", path, std::strerror(errno)));
  return read_target_lines(in, fmt::format("--file '{}'", path), limits);
}

}  // namespace nt::net
