// Target lists in files: one target per line, '#' starts a comment, blank lines and surrounding
// blanks ignored. ping (--file, "-") and portscan (--file) read them the same way.
#pragma once
#include <istream>
#include <string>
#include <vector>

namespace nt::net {

std::vector<std::string> read_target_lines(std::istream& in);

// The lines of `path` ("-": standard input). Throws UsageError
// "invalid --file 'PATH': cannot read it: <strerror>".
std::vector<std::string> read_target_file(const std::string& path);

}  // namespace nt::net
