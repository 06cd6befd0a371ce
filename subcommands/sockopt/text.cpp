#include "subcommands/sockopt/text.hpp"

#include <fmt/format.h>

#include "output/escape.hpp"

namespace nt::sockopt {

namespace {
constexpr std::size_t kNameWidth = 34;
}

std::string_view unit_text(net::Unit u) noexcept {
  switch (u) {
    case net::Unit::bytes:
      return " bytes";
    case net::Unit::seconds:
      return " s";
    case net::Unit::milliseconds:
      return " ms";
    case net::Unit::microseconds:
      return " us";
    case net::Unit::bytes_per_second:
      return " bytes/s";
    default:
      return "";
  }
}

std::string value_text(const output::Json& v, std::string_view unit) {
  if (v.is_null()) return "-";
  if (v.is_boolean()) return v.get<bool>() ? "on" : "off";
  if (v.is_string())
    return v.get<std::string>().empty() ? "(none)" : output::escape_for_terminal(v.get<std::string>());
  if (v.is_number()) return v.dump() + std::string(unit);
  std::string out;
  if (v.is_array()) {
    for (const auto& e : v) out += (out.empty() ? "" : " ") + value_text(e);
    return out.empty() ? "(none)" : out;
  }
  for (auto it = v.begin(); it != v.end(); ++it)
    out += (out.empty() ? "" : " ") + it.key() + "=" + value_text(it.value());
  return out;
}

void TextTable::group(std::string_view title) {
  if (current_group_ == title) return;
  current_group_ = std::string(title);
  rows_.emplace_back("", current_group_);
}

void TextTable::add_option(const net::SocketOption& o, const net::OptionReading& r) {
  group(net::level_name(o.level));
  std::string value;
  if (!r.skipped.empty()) {
    value = fmt::format("- (not read: {})", r.skipped);
  } else if (r.error != 0) {
    value = fmt::format("- ({})", net::errno_name(r.error));
  } else if (o.type == net::OptionType::linger && r.fields.size() == 2) {
    value = r.fields[0].second.get<bool>() ? fmt::format("on, {} s", r.fields[1].second.dump()) : "off";
  } else {
    value = value_text(r.fields.back().second, unit_text(o.unit));
  }
  rows_.emplace_back(std::string(o.name), std::move(value));
}

void TextTable::add_section(std::string_view title, const output::Json& fields) {
  group(title);
  if (!fields.is_object()) {
    rows_.emplace_back("(refused)", "-");
    return;
  }
  for (auto it = fields.begin(); it != fields.end(); ++it)
    rows_.emplace_back(it.key(), value_text(it.value()));
}

void TextTable::add_sets(const std::vector<SetResult>& sets) {
  group("--set");
  for (const SetResult& s : sets) {
    const std::string unit(unit_text(s.option->unit));
    std::string value = fmt::format("requested {}, effective {}", value_text(s.requested, unit),
                                    value_text(s.effective, unit));
    if (!s.note.empty()) value += ": " + s.note;
    rows_.emplace_back(std::string(s.option->name), std::move(value));
  }
}

std::string TextTable::render() const {
  std::string out = heading_;
  for (const auto& [name, value] : rows_) {
    if (name.empty())
      out += fmt::format("\n  {}", value);
    else
      out += fmt::format("\n    {:<{}} {}", name, kNameWidth, value);
  }
  return out;
}

}  // namespace nt::sockopt
