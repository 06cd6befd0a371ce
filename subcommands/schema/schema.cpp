// schema: prints the JSON Schema (draft 2020-12) of a command's records, embedded at build time from
// schemas/<cmd>.schema.json (also installed to DATADIR/nettool/schemas), or the commands that have one.
// No network, no privileges.
#include "subcommands/schema/schema.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <CLI/CLI.hpp>

#include <memory>
#include <string>
#include <vector>

#include "cli/suggest.hpp"
#include "subcommands/schema/catalog.hpp"
#include "sys/error.hpp"

namespace nt::schema {

namespace {

// "no schema for 'pnig' (did you mean 'ping'?)", else the list of commands that have one.
std::string unknown_command_message(const std::string& command) {
  std::vector<std::string> names;
  for (const auto& s : embedded_schemas()) names.emplace_back(s.command);
  if (std::string near = cli::closest_match(command, names); !near.empty())
    return fmt::format("no schema for '{}' (did you mean '{}'?)", command, near);
  return fmt::format("no schema for '{}': schemas exist for {}", command, fmt::join(names, ", "));
}

int run(const std::string& command, cli::Runtime& rt) {
  if (command.empty()) {
    rt.out.emit(catalog_record(embedded_schemas()));
    return kExitOk;
  }
  const EmbeddedSchema* schema = find_schema(command);
  if (schema == nullptr) throw UsageError(unknown_command_message(command));
  rt.out.emit(schema_record(*schema));
  return kExitOk;
}

}  // namespace

cli::RunFn setup(CLI::App& app) {
  auto command = std::make_shared<std::string>();
  app.add_option("command", *command, "The command whose record schema to print (none: list them)")
      ->type_name("CMD");
  return [command](cli::Runtime& rt) { return run(*command, rt); };
}

}  // namespace nt::schema
