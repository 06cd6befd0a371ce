#include "subcommands/chat/client_match.hpp"

#include <fmt/format.h>

#include "sys/error.hpp"

namespace nt::chat {

namespace {

[[noreturn]] void invalid(std::string_view text, std::string_view problem) {
  throw UsageError(fmt::format("invalid --wait-for '{}': {}", text, problem));
}

// Splits on unescaped ',' and resolves '\,' and '\\'.
std::vector<std::string> split_conditions(std::string_view text) {
  std::vector<std::string> parts(1);
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\') {
      if (i + 1 == text.size() || (text[i + 1] != ',' && text[i + 1] != '\\'))
        invalid(text, "'\\' must be followed by ',' or '\\'");
      parts.back() += text[++i];
    } else if (c == ',') {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  return parts;
}

bool valid_key(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  }
  return true;
}

// The text a condition compares with: a string as it is, anything else as its JSON text.
std::string text_of(const output::Json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

bool value_matches(const FieldCondition& cond, const output::Json& value) {
  if (value.is_array()) {
    for (const auto& element : value) {
      if (value_matches(cond, element)) return true;
    }
    return false;
  }
  std::string text = text_of(value);
  return cond.contains ? text.find(cond.value) != std::string::npos : text == cond.value;
}

}  // namespace

RecordPattern parse_pattern(std::string_view text) {
  if (text.empty()) invalid(text, "empty (expected KEY=VALUE[,KEY~VALUE…], e.g. type=message,from=bob)");
  RecordPattern pattern;
  for (std::string& part : split_conditions(text)) {
    std::size_t op = part.find_first_of("=~");
    if (op == std::string::npos) invalid(text, fmt::format("'{}' is not KEY=VALUE or KEY~VALUE", part));
    std::string key = part.substr(0, op);
    if (!valid_key(key)) invalid(text, fmt::format("'{}' is not a field name (letters, digits, '_')", key));
    pattern.all.push_back({std::move(key), part.substr(op + 1), part[op] == '~'});
  }
  return pattern;
}

bool matches(const RecordPattern& pattern, const output::Json& record) {
  for (const FieldCondition& cond : pattern.all) {
    auto it = record.find(cond.key);
    if (it == record.end() || !value_matches(cond, *it)) return false;
  }
  return true;
}

}  // namespace nt::chat
