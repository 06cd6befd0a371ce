// Target lists in files: one target per line, '#' starts a comment, blank lines and surrounding
// blanks ignored. ping (--file, "-") and portscan (--file) read them the same way. Bounded: a
// target list is never the place for a long line, a NUL byte or megabytes (/dev/zero, a binary).
#pragma once
#include <cstddef>
#include <istream>
#include <string>
#include <vector>

namespace nt::net {

struct TargetFileLimits {
  std::size_t max_line = 1024;               // bytes per line, comment included
  std::size_t max_bytes = 16 * 1024 * 1024;  // the whole input
  std::size_t max_targets = 65536;           // non-blank lines
};

// `source` names the input in messages ("--file 'hosts.txt'", "standard input"). Throws UsageError
// "invalid target list SOURCE: <problem>" (line too long, NUL byte, too large, too many targets:
// the count and the cap).
std::vector<std::string> read_target_lines(std::istream& in, const std::string& source = "standard input",
                                           const TargetFileLimits& limits = {});

// The lines of `path` ("-": standard input). Throws UsageError
// "invalid --file 'PATH': cannot read it: <strerror>" or "…: is a directory".
std::vector<std::string> read_target_file(const std::string& path, const TargetFileLimits& limits = {});

}  // namespace nt::net
