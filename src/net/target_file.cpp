#include "net/target_file.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include "sys/error.hpp"

namespace nt::net {

std::vector<std::string> read_target_lines(std::istream& in) {
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    const auto last = line.find_last_not_of(" \t\r");
    out.push_back(line.substr(first, last - first + 1));
  }
  return out;
}

std::vector<std::string> read_target_file(const std::string& path) {
  if (path == "-") return read_target_lines(std::cin);
  std::ifstream in(path);
  if (!in)
    throw UsageError(fmt::format("invalid --file '{}': cannot read it: {}", path, std::strerror(errno)));
  return read_target_lines(in);
}

}  // namespace nt::net
