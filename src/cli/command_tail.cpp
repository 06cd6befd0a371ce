#include "cli/command_tail.hpp"

#include <algorithm>

namespace nt::cli {

namespace {
std::vector<std::string>& tails() {
  static std::vector<std::string> names;  // filled by setup, before any parse: single-threaded
  return names;
}
}  // namespace

void register_command_tail(std::string_view option) {
  if (std::find(tails().begin(), tails().end(), option) == tails().end()) tails().emplace_back(option);
}

void mark_command_tail(std::vector<std::string>& args) {
  for (auto it = args.begin(); it != args.end(); ++it) {
    if (*it == "--") return;  // the user's own end of options: nothing of ours follows
    if (std::find(tails().begin(), tails().end(), *it) == tails().end()) continue;
    if (std::next(it) != args.end() && *std::next(it) == "--") return;
    args.insert(std::next(it), "--");
    return;
  }
}

}  // namespace nt::cli
