// The embedded schemas: one per command, each the file's exact bytes, valid JSON with the agreed $id
// and shape; and the records `nettool schema` prints.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "subcommands/registry.hpp"
#include "subcommands/schema/catalog.hpp"

using nt::output::Json;
using namespace nt::schema;

namespace {
std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST_CASE("every command has an embedded schema, sorted, equal to its file") {
  auto schemas = embedded_schemas();
  REQUIRE(schemas.size() == nt::command_table().size());
  for (std::size_t i = 0; i < schemas.size(); ++i) {
    const auto& s = schemas[i];
    INFO("schema: ", std::string(s.command));
    CHECK(s.command == nt::command_table()[i].name);
    CHECK(s.text == read_file(std::string(NETTOOL_SOURCE_ROOT) + "/schemas/" + std::string(s.command) +
                              ".schema.json"));
  }
}

TEST_CASE("each schema has the agreed shape: $id, record, document, error") {
  for (const auto& s : embedded_schemas()) {
    INFO("schema: ", std::string(s.command));
    Json j = Json::parse(s.text);
    CHECK(j["$schema"] == "https://json-schema.org/draft/2020-12/schema");
    CHECK(j["$id"] == "urn:nettool:schema:" + std::string(s.command));
    CHECK(j["$ref"] == "#/$defs/record");
    CHECK(j["$defs"].contains("document"));
    CHECK(j["$defs"]["error"]["properties"]["type"]["const"] == "error");
    CHECK(j["$defs"]["record"]["oneOf"].is_array());
  }
}

TEST_CASE("find_schema: a name, or null") {
  REQUIRE(find_schema("ping") != nullptr);
  CHECK(find_schema("ping")->command == "ping");
  CHECK(find_schema("pnig") == nullptr);
  CHECK(find_schema("") == nullptr);
}

TEST_CASE("schema record: the parsed schema; text is the file without its last newline") {
  const EmbeddedSchema* ping = find_schema("ping");
  REQUIRE(ping != nullptr);
  auto rec = schema_record(*ping);
  CHECK(rec.type() == "schema");
  CHECK(rec.data["command"] == "ping");
  CHECK(rec.data["schema"]["$id"] == "urn:nettool:schema:ping");
  CHECK(rec.text + "\n" == ping->text);
  CHECK(rec.list_item == "ping");
}

TEST_CASE("schemas record: the command names, one per text line") {
  const EmbeddedSchema two[] = {{"a", "{}"}, {"b-c", "{}"}};
  auto rec = catalog_record(two);
  CHECK(rec.type() == "schemas");
  CHECK(rec.data["commands"] == Json::array({"a", "b-c"}));
  CHECK(rec.text == "a\nb-c");
  CHECK(rec.list_item == "a\nb-c");
}
