// The layout is the architecture (DESIGN.md "Layout"): the core in src/ never includes a subcommand
// (only main.cpp dispatches to them), and a subcommand never includes another one's files. A grep
// over the tree, so the rule fails a test the day it creeps back.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {
namespace fs = std::filesystem;
const fs::path kRoot = NETTOOL_SOURCE_ROOT;

// "file:line: text" for each #include line of the C++ files below `dir` that contains `needle`.
std::vector<std::string> includes_of(const fs::path& dir, const std::string& needle, const fs::path& except) {
  std::vector<std::string> hits;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const auto ext = entry.path().extension();
    if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp") || entry.path() == except) continue;
    std::ifstream in(entry.path());
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
      if (line.starts_with("#include") && line.find(needle) != std::string::npos)
        hits.push_back(fs::relative(entry.path(), kRoot).string() + ":" + std::to_string(n) + ": " + line);
    }
  }
  return hits;
}
}  // namespace

TEST_CASE("layering: src/ includes no subcommand (main.cpp aside)") {
  for (const auto& h : includes_of(kRoot / "src", "\"subcommands/", kRoot / "src" / "main.cpp"))
    FAIL_CHECK(h);
}

TEST_CASE("layering: a subcommand includes no other subcommand's files") {
  for (const auto& entry : fs::directory_iterator(kRoot / "subcommands")) {
    if (!entry.is_directory()) continue;
    const std::string own = "\"subcommands/" + entry.path().filename().string() + "/";
    for (const auto& h : includes_of(entry.path(), "\"subcommands/", {}))
      if (h.find(own) == std::string::npos) FAIL_CHECK(h);
  }
}
