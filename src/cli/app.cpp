#include "cli/app.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <cerrno>
#include <filesystem>
#include <string_view>

#include "cli/completions.hpp"
#include "cli/help_format.hpp"
#include "cli/internal.hpp"
#include "cli/suggest.hpp"
#include "config.h"
#include "sys/error.hpp"
#include "sys/privileges.hpp"
#include "sys/signals.hpp"

namespace nt::cli {

std::string_view command_from_argv0(std::string_view argv0, std::span<const CommandSpec> commands) {
  std::string_view base = argv0.substr(argv0.rfind('/') == std::string_view::npos ? 0 : argv0.rfind('/') + 1);
  if (base.starts_with("nettool-")) base.remove_prefix(8);
  for (const auto& c : commands) {
    if (c.name == base) return c.name;
  }
  return {};
}

int install_links(const std::string& dir, const std::string& target, std::span<const CommandSpec> commands,
                  bool force) {
  namespace fs = std::filesystem;
  if (dir.empty()) throw UsageError("invalid --install-links '': empty directory name");
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw UsageError(fmt::format("invalid --install-links '{}': not a directory", dir));
  for (const auto& c : commands) {  // check every name first: refuse before changing anything
    fs::path link = fs::path(dir) / ("nettool-" + std::string(c.name));
    auto st = fs::symlink_status(link, ec);
    if (!force && fs::exists(st) && !fs::is_symlink(st))
      throw UsageError(
          fmt::format("{} exists and is not a link: not replacing it (--force does)", link.string()));
  }
  int made = 0;
  for (const auto& c : commands) {
    fs::path link = fs::path(dir) / ("nettool-" + std::string(c.name));
    fs::remove(link, ec);
    fs::create_symlink(target, link, ec);
    if (ec) throw std::system_error(ec, "creating " + link.string());
    ++made;
  }
  return made;
}

namespace {
void add_global_options(CLI::App& app, ParsedCli& p) {
  app.add_option("--format", p.format_name, "output format: text, json (one document), jsonl, list")
      ->type_name("FORMAT");
  app.add_flag("--json", p.json, "same as --format json");
  app.add_flag("--jsonl", p.jsonl, "same as --format jsonl (one JSON object per line)");
  app.add_flag("-q,--quiet", p.global.quiet, "text output: only summaries");
  app.add_flag("-v,--verbose", p.global.verbose, "more detail (repeatable)");
  app.add_option("--color", p.color_name, "colour text output: auto, always, never (NO_COLOR honoured)")
      ->type_name("WHEN");
  app.add_flag("-4", p.ipv4, "IPv4 only");
  app.add_flag("-6", p.ipv6, "IPv6 only");
  app.add_option("--pcap", p.global.pcap_file,
                 "capture this command's own packets into FILE (pcap format; needs CAP_NET_RAW)")
      ->type_name("FILE");
  app.add_option("--install-links", p.install_links_dir, "create nettool-CMD links in DIR and exit")
      ->type_name("DIR");
  app.add_flag("--force", p.force, "with --install-links: replace files that are not links");
  app.add_option("--generate-completion", p.completion_shell, "print a completion script (bash, zsh, fish)")
      ->group("");
  app.set_version_flag("--version", std::string("nettool ") + NETTOOL_VERSION);
}
}  // namespace

CliScope scope_for(std::span<const std::string> args, std::span<const CommandSpec> commands) {
  for (const auto& a : args) {
    if (a == "--") break;
    if (a.starts_with("--generate-completion")) return {};
  }
  // The word after a global option that takes one is its value, never the command: in
  // `nettool --pcap schema ping …` the command is ping.
  constexpr std::array<std::string_view, 4> kTakesValue{"--format", "--color", "--pcap", "--install-links"};
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--") break;
    if (std::ranges::find(kTakesValue, args[i]) != kTakesValue.end()) {
      ++i;
      continue;
    }
    for (const auto& c : commands) {
      if (c.name == args[i]) return {CliScope::Kind::named_command, c.name};
    }
  }
  return {CliScope::Kind::summaries_only, {}};
}

std::unique_ptr<CLI::App> build_cli(std::span<const CommandSpec> commands, ParsedCli& parsed,
                                    CliScope scope) {
  auto app = std::make_unique<CLI::App>("nettool: one binary for ping, port scans, echo and time services",
                                        "nettool");
  app->formatter(std::make_shared<HelpFormatter>());  // before add_subcommand: subcommands copy it
  app->fallthrough();  // global options may follow the subcommand: nettool ping host --json
  app->require_subcommand(0, 1);
  app->footer(
      "Run 'nettool help CMD' (or 'nettool CMD --help') for a subcommand's options.\n"
      "Exit status: 0 success, 1 negative answer, 2 usage error, 3 runtime failure, 4 insufficient "
      "privilege.");
  add_global_options(*app, parsed);
  for (const auto& c : commands) {
    bool set_up = scope.kind == CliScope::Kind::every_command ||
                  (scope.kind == CliScope::Kind::named_command && c.name == scope.command);
    if (scope.kind == CliScope::Kind::named_command && !set_up) {
      parsed.runners.emplace_back();
      continue;
    }
    CLI::App* sub = app->add_subcommand(std::string(c.name), std::string(c.summary));
    parsed.runners.push_back(set_up ? c.setup(*sub) : RunFn{});
  }
  return app;
}

namespace {
// "nettool help CMD" means "nettool CMD --help"; a link named after a command runs it.
std::vector<std::string> normalise_args(int argc, const char* const* argv,
                                        std::span<const CommandSpec> commands) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string_view linked = argc > 0 ? command_from_argv0(argv[0], commands) : std::string_view{};
  if (!linked.empty()) args.insert(args.begin(), std::string(linked));
  if (!args.empty() && args[0] == "help") {
    args.erase(args.begin());
    args.push_back("--help");
  }
  // "nettool bogus --help" / "nettool help pnig": CLI11 would print the overview (exit 0) before it
  // looked at "bogus"; the unknown command is the error, with its did-you-mean.
  if (!args.empty() && !args[0].starts_with("-") &&
      std::find(args.begin(), args.end(), "--help") != args.end()) {
    std::vector<std::string> names;
    for (const auto& c : commands) names.emplace_back(c.name);
    if (std::find(names.begin(), names.end(), args[0]) == names.end()) {
      std::string hint = closest_match(args[0], names);
      throw UsageError(fmt::format("unknown command '{}'{}", args[0],
                                   hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
    }
  }
  // CLI11 2.1 reads "-4"/"-6" after a subcommand that has positionals as negative numbers (a host
  // named "-4"), so the global family flags move in front of the command, where they are flags.
  auto end = std::find(args.begin(), args.end(), "--");
  std::stable_partition(args.begin(), end, [](const std::string& a) { return a == "-4" || a == "-6"; });
  return args;
}

void resolve_globals(ParsedCli& p) {
  if (p.json && p.jsonl) throw UsageError("--json and --jsonl are mutually exclusive");
  if (p.ipv4 && p.ipv6) throw UsageError("-4 and -6 are mutually exclusive");
  p.global.format = output::parse_format(p.json ? "json" : p.jsonl ? "jsonl" : p.format_name);
  p.global.color = output::parse_color_mode(p.color_name);
  p.global.family = p.ipv4 ? AF_INET : p.ipv6 ? AF_INET6 : AF_UNSPEC;
}

int chosen_command(const CLI::App& app, std::span<const CommandSpec> commands) {
  for (const CLI::App* sub : app.get_subcommands()) {
    for (std::size_t i = 0; i < commands.size(); ++i) {
      if (commands[i].name == sub->get_name()) return static_cast<int>(i);
    }
  }
  return -1;
}

int run_meta_action(const CLI::App& app, const ParsedCli& p, std::span<const CommandSpec> commands,
                    const Streams& s) {
  if (!p.completion_shell.empty()) {
    std::string script = generate_completion(app, parse_shell(p.completion_shell));
    std::fwrite(script.data(), 1, script.size(), s.out);
    return kExitOk;
  }
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw std::system_error(ec, "locating the nettool binary");
  int made = install_links(p.install_links_dir, self.string(), commands, p.force);
  std::fprintf(s.out, "created %d links in %s\n", made, p.install_links_dir.c_str());
  return kExitOk;
}
}  // namespace

int run_main(int argc, const char* const* argv, std::span<const CommandSpec> commands,
             const Streams& streams) {
  ErrorReporter reporter(streams.err);
  // `nettool … >&-`: records would go nowhere, and the next socket would be given descriptor 1.
  if (::fcntl(::fileno(streams.out), F_GETFD) < 0 && errno == EBADF) {
    reporter.usage("stdout is closed: nowhere to write records");
    return kExitRuntime;
  }
  try {
    sys::refuse_setuid();
    sys::install_signal_handling();
    ParsedCli parsed;
    auto args = normalise_args(argc, argv, commands);
    // The common probe `nettool --version` skips CLI11, whose version flag is an exception (unwinding
    // a large binary's tables took ~0.5 ms of a 3 ms start).
    if (args.size() == 1 && args[0] == "--version") {
      std::fprintf(streams.out, "nettool %s\n", NETTOOL_VERSION);
      return kExitOk;
    }
    auto app = build_cli(commands, parsed, scope_for(args, commands));
    const std::vector<std::string> words = args;  // CLI11 consumes args
    if (int code = parse_command_line(*app, args, streams, reporter); code >= 0) {
      if (code == kExitUsage) emit_usage_record(words, streams, reporter);
      return code;
    }
    parsed.install_links_given = app->count("--install-links") > 0;
    resolve_globals(parsed);
    if (!parsed.completion_shell.empty() || parsed.install_links_given) {
      return run_meta_action(*app, parsed, commands, streams);
    }
    int index = chosen_command(*app, commands);
    if (index < 0 || !parsed.runners[static_cast<std::size_t>(index)]) {
      std::fputs(app->help().c_str(), streams.out);
      return kExitOk;
    }
    reporter.set_command(std::string(commands[static_cast<std::size_t>(index)].name));
    const auto chosen = static_cast<std::size_t>(index);
    return run_command(parsed, parsed.runners[chosen], commands[chosen].supports_pcap, streams, reporter);
  } catch (const std::exception& e) {
    return reporter.report(e, nullptr);
  }
}

}  // namespace nt::cli
