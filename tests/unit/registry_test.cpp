// Invariants of the real subcommand table: sorted, unique, documented, completed, in meson's list.
#include <doctest/doctest.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "cli/app.hpp"
#include "cli/completions.hpp"
#include "subcommands/registry.hpp"

namespace {
std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
const std::string kRoot = NETTOOL_SOURCE_ROOT;

// Every long option of an app and its nested subcommands.
void long_options(const CLI::App& app, std::vector<std::string>& out) {
  for (const CLI::Option* opt : app.get_options({})) {
    if (opt->get_group().empty()) continue;
    for (const auto& l : opt->get_lnames()) {
      if (l != "help") out.push_back("--" + l);
    }
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) long_options(*sub, out);
}
}  // namespace

TEST_CASE("the table is sorted, unique and complete") {
  auto table = nt::command_table();
  REQUIRE(!table.empty());
  for (std::size_t i = 1; i < table.size(); ++i) CHECK(table[i - 1].name < table[i].name);
  for (const auto& c : table) {
    CHECK(!c.summary.empty());
    CHECK(static_cast<bool>(c.setup));
  }
}

TEST_CASE("meson's command list matches the table (it names the installed links)") {
  std::string meson = read_file(kRoot + "/subcommands/meson.build");
  std::string expected = "nettool_command_names = [";
  auto table = nt::command_table();
  for (std::size_t i = 0; i < table.size(); ++i) expected += (i ? ", '" : "'") + std::string(table[i].name) + "'";
  expected += "]";
  CHECK(meson.find(expected) != std::string::npos);
}

TEST_CASE("every command has a man page that names each of its long options") {
  nt::cli::ParsedCli parsed;
  auto app = nt::cli::build_cli(nt::command_table(), parsed);
  std::string main_page = read_file(kRoot + "/man/nettool.1.scd");
  for (const auto& c : nt::command_table()) {
    std::string name(c.name);
    CAPTURE(name);
    std::string page = read_file(kRoot + "/man/nettool-" + name + ".1.scd");
    INFO("man page: man/nettool-", name, ".1.scd");
    REQUIRE(!page.empty());
    CHECK(page.find("# OUTPUT") != std::string::npos);
    CHECK(page.find("# EXIT STATUS") != std::string::npos);
    CHECK(main_page.find("*" + name + "*") != std::string::npos);
    std::vector<std::string> options;
    long_options(*app->get_subcommand(name), options);
    for (const auto& o : options) {
      CAPTURE(o);
      CHECK(page.find(o) != std::string::npos);
    }
  }
}

TEST_CASE("completions/ is what the CLI generates (run scripts/regen-completions after changing options)") {
  nt::cli::ParsedCli parsed;
  auto app = nt::cli::build_cli(nt::command_table(), parsed);
  CHECK(read_file(kRoot + "/completions/nettool.bash") == nt::cli::generate_completion(*app, nt::cli::Shell::bash));
  CHECK(read_file(kRoot + "/completions/_nettool") == nt::cli::generate_completion(*app, nt::cli::Shell::zsh));
  CHECK(read_file(kRoot + "/completions/nettool.fish") == nt::cli::generate_completion(*app, nt::cli::Shell::fish));
}
