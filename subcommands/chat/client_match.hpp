// --wait-for: a record pattern for CI assertions. Conditions separated by ',' must all hold:
//   KEY=VALUE   the field equals VALUE (strings exactly; numbers and booleans by their JSON text; an
//               array field matches when one element does)
//   KEY~VALUE   the field's text contains VALUE (an array: one element contains it)
// A ',' or '\' inside VALUE is written '\,' or '\\'. Example: type=message,from=bob,text~deploy
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "output/record.hpp"

namespace nt::chat {

struct FieldCondition {
  std::string key;
  std::string value;
  bool contains = false;  // '~' rather than '='

  bool operator==(const FieldCondition&) const = default;
};

struct RecordPattern {
  std::vector<FieldCondition> all;
};

// Throws UsageError("invalid --wait-for 'TEXT': problem").
RecordPattern parse_pattern(std::string_view text);

bool matches(const RecordPattern& pattern, const output::Json& record);

}  // namespace nt::chat
