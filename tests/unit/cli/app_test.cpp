// run_main with a fake command table: dispatch, help, typos, error printing, exit codes.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/app.hpp"
#include "sys/error.hpp"

namespace {
struct AlphaOptions {
  int count = 1;
};

nt::cli::RunFn setup_alpha(CLI::App& app) {
  auto opts = std::make_shared<AlphaOptions>();
  app.add_option("-c,--count", opts->count, "how many");
  return [opts](nt::cli::Runtime& rt) {
    rt.out.emit(nt::output::Record("reply")
                    .set("count", opts->count)
                    .with_text(fmt::format("count={}", opts->count)));
    return opts->count > 1 ? 1 : 0;
  };
}
nt::cli::RunFn setup_beta(CLI::App&) {
  return [](nt::cli::Runtime&) -> int { throw nt::UsageError("invalid host 'x y': space in name"); };
}
nt::cli::RunFn setup_gamma(CLI::App&) {
  return [](nt::cli::Runtime& rt) -> int {
    rt.out.emit(nt::output::Record("reply").set("seq", 1));
    throw std::system_error(ECONNREFUSED, std::generic_category(), "connecting to 127.0.0.1:9");
  };
}

nt::cli::RunFn setup_delta(CLI::App& app) {
  auto target = std::make_shared<std::string>();
  app.require_subcommand(1, 1);
  app.add_subcommand("server", "serve");
  app.add_subcommand("client", "connect")->add_option("target", *target, "where")->required();
  return [](nt::cli::Runtime&) { return 0; };
}

const nt::cli::CommandSpec kTable[] = {
    {"alpha", "first", setup_alpha},
    {"beta", "second", setup_beta},
    {"delta", "fourth", setup_delta},
    {"gamma", "third", setup_gamma},
};

struct Result {
  int code;
  std::string out, err;
};

std::string slurp(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string s;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
  std::fclose(f);
  return s;
}

Result run(std::vector<const char*> argv) {
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  int code = nt::cli::run_main(static_cast<int>(argv.size()), argv.data(), kTable, {out, err});
  return {code, slurp(out), slurp(err)};
}

int lines(const std::string& s) {
  return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}
}  // namespace

TEST_CASE("no arguments and --help list the commands and global options") {
  for (auto r : {run({"nettool"}), run({"nettool", "--help"})}) {
    CHECK(r.code == 0);
    CHECK(r.out.find("alpha") != std::string::npos);
    CHECK(r.out.find("--format") != std::string::npos);
    CHECK(r.err.empty());
  }
}

TEST_CASE("help CMD equals CMD --help") {
  auto a = run({"nettool", "help", "alpha"});
  auto b = run({"nettool", "alpha", "--help"});
  CHECK(a.code == 0);
  CHECK(a.out == b.out);
  CHECK(a.out.find("--count") != std::string::npos);
}

TEST_CASE("--version") {
  auto r = run({"nettool", "--version"});
  CHECK(r.code == 0);
  CHECK(r.out.rfind("nettool ", 0) == 0);
}

TEST_CASE("argv[0] dispatch: nettool-CMD and CMD links") {
  CHECK(nt::cli::command_from_argv0("/usr/bin/nettool-alpha", kTable) == "alpha");
  CHECK(nt::cli::command_from_argv0("beta", kTable) == "beta");
  CHECK(nt::cli::command_from_argv0("nettool", kTable).empty());
  CHECK(nt::cli::command_from_argv0("./nettool-unknown", kTable).empty());
  auto r = run({"/opt/bin/nettool-alpha", "--count", "1"});
  CHECK(r.code == 0);
  CHECK(r.out == "count=1\n");
}

TEST_CASE("unknown command: one line with a suggestion, exit 2") {
  auto r = run({"nettool", "alpah"});
  CHECK(r.code == 2);
  CHECK(r.err == "nettool: unknown command 'alpah' (did you mean 'alpha'?)\n");
}

TEST_CASE("unknown option: one line with a suggestion, exit 2") {
  auto r = run({"nettool", "alpha", "--cuont", "3"});
  CHECK(r.code == 2);
  CHECK(lines(r.err) == 1);
  CHECK(r.err.find("unknown option '--cuont' (did you mean '--count'?)") != std::string::npos);
}

TEST_CASE("missing or misspelt subcommands and requirements name what the user typed") {
  auto missing = run({"nettool", "delta"});
  CHECK(missing.code == 2);
  CHECK(missing.err == "nettool delta: missing subcommand: server or client\n");
  auto typo = run({"nettool", "delta", "clinet"});
  CHECK(typo.code == 2);
  CHECK(typo.err.find("'clinet' (did you mean 'client'?)") != std::string::npos);
  auto unknown = run({"nettool", "delta", "client", "--bogus"});
  CHECK(unknown.code == 2);
  CHECK(unknown.err == "nettool delta client: unknown option '--bogus'\n");
  auto required = run({"nettool", "delta", "client"});
  CHECK(required.code == 2);
  CHECK(required.err.find("target is required") != std::string::npos);
}

TEST_CASE("bad option values and global options are usage errors") {
  auto r = run({"nettool", "alpha", "--count", "many"});
  CHECK(r.code == 2);
  CHECK(lines(r.err) == 1);
  CHECK(r.err.find("many") != std::string::npos);
  auto f = run({"nettool", "alpha", "--format", "yaml"});
  CHECK(f.code == 2);
  CHECK(f.err == "nettool: invalid --format 'yaml': expected text, json, jsonl or list\n");
  CHECK(run({"nettool", "alpha", "-4", "-6"}).code == 2);
}

TEST_CASE("global options work after the subcommand; exit code comes from the command") {
  auto r = run({"nettool", "alpha", "-c", "2", "--jsonl"});
  CHECK(r.code == 1);
  CHECK(r.out == "{\"type\":\"reply\",\"count\":2}\n");
}

TEST_CASE("errors: one stderr line naming the command; json gets an error record") {
  auto text = run({"nettool", "beta"});
  CHECK(text.code == 2);
  CHECK(text.out.empty());
  CHECK(text.err == "nettool beta: invalid host 'x y': space in name\n");
  auto json = run({"nettool", "gamma", "--json"});
  CHECK(json.code == 3);
  CHECK(json.err == "nettool gamma: connecting to 127.0.0.1:9: Connection refused\n");
  auto doc = nlohmann::json::parse(json.out);
  REQUIRE(doc["records"].size() == 2);
  CHECK(doc["records"][0]["type"] == "reply");
  CHECK(doc["records"][1]["type"] == "error");
  CHECK(doc["records"][1]["exit_code"] == 3);
}

TEST_CASE("completion scripts name every command and option") {
  for (const char* shell : {"bash", "zsh", "fish"}) {
    CAPTURE(shell);
    auto r = run({"nettool", "--generate-completion", shell});
    CHECK(r.code == 0);
    CHECK(r.out.find("alpha") != std::string::npos);
    CHECK(r.out.find("count") != std::string::npos);
    CHECK(r.out.find("format") != std::string::npos);
  }
  CHECK(run({"nettool", "--generate-completion", "tcsh"}).code == 2);
}

TEST_CASE("an ordinary run sets up only the command it names; completions set up every command") {
  using Kind = nt::cli::CliScope::Kind;
  std::vector<std::string> ping_like{"--json", "gamma", "-c", "alpha"};
  auto scope = nt::cli::scope_for(ping_like, kTable);
  CHECK(scope.kind == Kind::named_command);
  CHECK(scope.command == "gamma");
  CHECK(nt::cli::scope_for(std::vector<std::string>{"--version"}, kTable).kind == Kind::summaries_only);
  CHECK(nt::cli::scope_for(std::vector<std::string>{"--", "alpha"}, kTable).kind == Kind::summaries_only);
  auto after_value = nt::cli::scope_for(std::vector<std::string>{"--pcap", "alpha", "gamma"}, kTable);
  CHECK(after_value.command == "gamma");  // alpha is --pcap's file name
  CHECK(nt::cli::scope_for(std::vector<std::string>{"--format", "alpha"}, kTable).kind ==
        Kind::summaries_only);
  CHECK(nt::cli::scope_for(std::vector<std::string>{"alpha", "--generate-completion", "bash"}, kTable).kind ==
        Kind::every_command);

  nt::cli::ParsedCli parsed;
  auto app = nt::cli::build_cli(kTable, parsed, scope);
  CHECK(app->get_subcommands({}).size() == 1);
  REQUIRE(parsed.runners.size() == std::size(kTable));
  CHECK(static_cast<bool>(parsed.runners[3]));  // gamma
  CHECK_FALSE(static_cast<bool>(parsed.runners[0]));
  // The overview still lists every command, from summaries alone.
  auto r = run({"nettool"});
  CHECK(r.out.find("delta") != std::string::npos);
}

TEST_CASE("--pcap: a command that does not describe its traffic refuses it before running") {
  auto r = run({"nettool", "alpha", "--pcap", "/nonexistent/x.pcap", "--jsonl"});
  CHECK(r.code == 2);
  CHECK(lines(r.err) == 1);
  CHECK(r.err.find("--pcap is not supported by alpha") != std::string::npos);
  CHECK(r.out.find("\"reply\"") == std::string::npos);  // alpha never ran
  CHECK(r.out.find("\"error\"") != std::string::npos);
}
