// The JSON Schemas of every command's records (schemas/<cmd>.schema.json), compiled into the binary
// at build time (embed_schemas.py), and the records `nettool schema` prints about them.
#pragma once
#include <span>
#include <string_view>

#include "output/record.hpp"

namespace nt::schema {

struct EmbeddedSchema {
  std::string_view command;  // "ping": the file was schemas/ping.schema.json
  std::string_view text;     // the file's exact bytes
};

// Sorted by command name (generated code).
std::span<const EmbeddedSchema> embedded_schemas() noexcept;

// Null when `command` has no schema.
const EmbeddedSchema* find_schema(std::string_view command) noexcept;

// `schema`: {"command", "schema": the parsed schema}; text mode prints the file itself.
output::Record schema_record(const EmbeddedSchema& schema);
// `schemas`: {"commands": [...]} for the commands that have one; text and list: one name per line.
output::Record catalog_record(std::span<const EmbeddedSchema> schemas);

}  // namespace nt::schema
