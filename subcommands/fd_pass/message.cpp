#include "subcommands/fd_pass/message.hpp"

#include <fmt/format.h>

#include <charconv>

#include "net/socket_activation.hpp"

namespace nt::fd_pass {

std::string encode_part(const Part& part) {
  const std::string names = net::join_fd_names(part.names);
  if (part.count <= 1) return names;
  return fmt::format("#{}/{} {}", part.index, part.count, names);
}

namespace {
bool parse_count(std::string_view text, std::size_t& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

// "#I/N " at the start: fills part and strips it.
void take_number(std::string_view& payload, Part& part) {
  const auto space = payload.find(' ');
  const auto slash = payload.find('/');
  if (!payload.starts_with('#') || space == std::string_view::npos || slash > space) return;
  std::size_t index = 0, count = 0;
  if (!parse_count(payload.substr(1, slash - 1), index) ||
      !parse_count(payload.substr(slash + 1, space - slash - 1), count) || index < 1 || index > count)
    return;
  part.index = index;
  part.count = count;
  part.numbered = true;
  payload.remove_prefix(space + 1);
}
}  // namespace

Part decode_part(std::string_view payload, std::size_t fds, std::size_t& declared) {
  Part part;
  while (!payload.empty() && (payload.back() == '\n' || payload.back() == '\0')) payload.remove_suffix(1);
  take_number(payload, part);
  declared = 0;
  while (!payload.empty()) {
    const auto colon = payload.find(':');
    const std::string_view name = payload.substr(0, colon);
    part.names.emplace_back(net::valid_fd_name(name) ? std::string(name) : std::string("unknown"));
    ++declared;
    if (colon == std::string_view::npos) break;
    payload.remove_prefix(colon + 1);
  }
  part.names.resize(fds, "unknown");
  return part;
}

std::vector<Part> split_parts(std::span<const std::string> names, std::size_t per_message) {
  std::vector<Part> parts;
  const std::size_t count = std::max<std::size_t>(1, (names.size() + per_message - 1) / per_message);
  for (std::size_t i = 0; i < count; ++i) {
    Part p;
    p.index = i + 1;
    p.count = count;
    p.numbered = count > 1;
    const auto first = names.begin() + static_cast<std::ptrdiff_t>(i * per_message);
    const auto last =
        names.begin() + static_cast<std::ptrdiff_t>(std::min(names.size(), (i + 1) * per_message));
    p.names.assign(first, last);
    parts.push_back(std::move(p));
  }
  return parts;
}

}  // namespace nt::fd_pass
