#include "subcommands/schema/catalog.hpp"

#include <string>

namespace nt::schema {

const EmbeddedSchema* find_schema(std::string_view command) noexcept {
  for (const auto& s : embedded_schemas()) {
    if (s.command == command) return &s;
  }
  return nullptr;
}

output::Record schema_record(const EmbeddedSchema& schema) {
  output::Record rec("schema");
  rec.set("command", schema.command).set("schema", output::Json::parse(schema.text));
  std::string text(schema.text);
  while (!text.empty() && text.back() == '\n') text.pop_back();  // the text sink ends the line itself
  rec.with_text(std::move(text));
  rec.list_item = std::string(schema.command);
  return std::move(rec.essential());
}

output::Record catalog_record(std::span<const EmbeddedSchema> schemas) {
  output::Record rec("schemas");
  output::Json commands = output::Json::array();
  std::string lines;
  for (const auto& s : schemas) {
    commands.push_back(s.command);
    lines += (lines.empty() ? "" : "\n") + std::string(s.command);
  }
  rec.set("commands", std::move(commands));
  rec.with_text(lines);
  rec.list_item = lines;
  return std::move(rec.essential());
}

}  // namespace nt::schema
