#include "subcommands/portscan/services.hpp"

#include <charconv>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace nt::scan {

namespace {
uint32_t key(uint16_t port, std::string_view proto) {
  return (uint32_t{port} << 1) | (proto == "udp" ? 1u : 0u);
}
}  // namespace

ServiceTable ServiceTable::load(const char* path) {
  std::ifstream in(path);
  if (!in) return {};
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(ss.str());
}

ServiceTable ServiceTable::parse(std::string_view text) {
  ServiceTable table;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    const auto name_end = line.find_first_of(" \t");
    if (name_end == std::string_view::npos || name_end == 0) continue;
    const auto spec_start = line.find_first_not_of(" \t", name_end);
    if (spec_start == std::string_view::npos) continue;
    std::string_view spec = line.substr(spec_start);
    spec = spec.substr(0, spec.find_first_of(" \t\r"));
    const auto slash = spec.find('/');
    if (slash == std::string_view::npos) continue;
    unsigned port = 0;
    auto [p, ec] = std::from_chars(spec.data(), spec.data() + slash, port);
    if (ec != std::errc() || p != spec.data() + slash || port == 0 || port > 65535) continue;
    table.names_.try_emplace(key(static_cast<uint16_t>(port), spec.substr(slash + 1)),
                             line.substr(0, name_end));
  }
  return table;
}

std::string_view ServiceTable::lookup(uint16_t port, std::string_view proto) const {
  auto it = names_.find(key(port, proto));
  return it == names_.end() ? std::string_view{} : std::string_view{it->second};
}

std::string escape_bytes(std::span<const std::byte> data) {
  std::string out;
  out.reserve(data.size());
  for (std::byte b : data) {
    const auto c = std::to_integer<unsigned char>(b);
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      default:
        if (c >= 0x20 && c < 0x7f)
          out += static_cast<char>(c);
        else
          out += fmt::format("\\x{:02x}", c);
    }
  }
  return out;
}

}  // namespace nt::scan
