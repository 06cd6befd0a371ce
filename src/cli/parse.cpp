#include <CLI/CLI.hpp>
#include <algorithm>

#include "cli/command_tail.hpp"
#include "cli/internal.hpp"
#include "cli/suggest.hpp"
#include "cli/validate.hpp"
#include "sys/error.hpp"

namespace nt::cli {

namespace {
// The deepest subcommand the user named (tcp-echo server), or the app itself.
const CLI::App* deepest_parsed(const CLI::App& app) {
  for (const CLI::App* sub : app.get_subcommands({})) {
    if (sub->parsed()) return deepest_parsed(*sub);
  }
  return &app;
}

void collect_option_names(const CLI::App& app, std::vector<std::string>& out) {
  for (const CLI::Option* opt : app.get_options({})) {
    for (const auto& l : opt->get_lnames()) out.push_back("--" + l);
    for (const auto& s : opt->get_snames()) out.push_back("-" + s);
  }
  if (app.get_parent()) collect_option_names(*app.get_parent(), out);
}

// CLI11 keeps every leftover word in order ("--cuont 3"); an unknown option explains the rest (its value
// became a leftover too), so it is the one to name.
std::string first_extra(const CLI::App& app) {
  std::vector<std::string> words = app.remaining(true);
  for (const auto& w : words) {
    if (w.starts_with("-")) return w;
  }
  return words.empty() ? std::string() : words.front();
}

// "nettool udp-time" for `udp-time server`: what App::help() puts before a subcommand's own name, so its
// usage line reads "nettool udp-time server [OPTIONS]", not "server [OPTIONS]".
std::string help_prefix(const CLI::App* app) {
  std::string prefix;
  for (const CLI::App* up = app->get_parent(); up; up = up->get_parent())
    prefix = up->get_name() + (prefix.empty() ? "" : " ") + prefix;
  return prefix;
}

std::string command_path(const CLI::App* app) {
  std::string path;
  for (; app && app->get_parent(); app = app->get_parent())
    path = app->get_name() + (path.empty() ? "" : " ") + path;
  return path;
}

std::string explain_extra(const CLI::App& root, const std::string& extra) {
  const CLI::App* where = deepest_parsed(root);
  std::vector<std::string> candidates;
  if (extra.starts_with("-")) {
    std::string name = extra.substr(0, extra.find('='));
    collect_option_names(*where, candidates);
    std::string hint = closest_match(name, candidates);
    return fmt::format("unknown option '{}'{}", name,
                       hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint));
  }
  for (const CLI::App* sub : where->get_subcommands({})) candidates.push_back(sub->get_name());
  if (where == &root || !candidates.empty()) {
    std::string hint = closest_match(extra, candidates);
    std::string what = where == &root ? "unknown command" : "unknown subcommand or extra argument";
    return fmt::format("{} '{}'{}", what, extra,
                       hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint));
  }
  return fmt::format("unexpected argument '{}'", extra);
}

// CLI11 checks requirements before leftovers, so a misspelt subcommand ("tcp-echo clinet") or an
// unknown option before a missing positional surfaces as "A subcommand is required" / "target is
// required", which names nothing the user typed. Explain the leftover word instead, or list the
// subcommands that are missing.
std::string explain_required(const CLI::App& root, const CLI::RequiredError& e) {
  if (std::string extra = first_extra(root); !extra.empty()) return explain_extra(root, extra);
  const CLI::App* where = deepest_parsed(root);
  std::vector<std::string> names;
  for (const CLI::App* sub : where->get_subcommands({})) names.push_back(sub->get_name());
  if (where->get_require_subcommand_min() == 0 || names.empty()) return e.what();
  std::string list;
  for (std::size_t i = 0; i < names.size(); ++i) {
    list += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  }
  return fmt::format("missing subcommand: {}", list);
}
// `udp-time serve` would otherwise resolve "serve" as a host name (a DNS query). A positional of a command
// that also has subcommands, within edit distance 2 of one of their names and shaped like no address
// (no '.', ':', '/', '@', '['), is the misspelt subcommand.
std::string near_miss_subcommand(const CLI::App& app) {
  const CLI::App* where = deepest_parsed(app);
  std::vector<std::string> names;
  for (const CLI::App* sub : where->get_subcommands({})) names.push_back(sub->get_name());
  if (names.empty()) return {};
  for (const CLI::Option* opt : where->get_options({})) {
    if (!opt->get_positional()) continue;
    for (const std::string& word : opt->results()) {
      if (word.find_first_of(".:/@[") != std::string::npos) continue;
      for (const auto& name : names) {
        if (word != name && edit_distance(word, name) <= 2)
          return fmt::format("unknown subcommand '{}' (did you mean '{}'?)", word, name);
      }
    }
  }
  return {};
}
}  // namespace

int parse_command_line(CLI::App& app, std::vector<std::string>& args, const Streams& streams,
                       ErrorReporter& reporter) {
  mark_command_tail(args);
  std::reverse(args.begin(), args.end());  // CLI11 takes a reversed vector and consumes it
  try {
    app.parse(args);
    if (std::string why = near_miss_subcommand(app); !why.empty()) {
      reporter.set_command(command_path(deepest_parsed(app)));
      reporter.usage(why);
      return kExitUsage;
    }
    return -1;
  } catch (const CLI::CallForHelp&) {
    const CLI::App* where = deepest_parsed(app);
    std::fputs(where->help(help_prefix(where)).c_str(), streams.out);
    return kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    std::fputs(app.help("", CLI::AppFormatMode::All).c_str(), streams.out);
    return kExitOk;
  } catch (const CLI::CallForVersion&) {
    std::fprintf(streams.out, "%s\n", app.version().c_str());
    return kExitOk;
  } catch (const CLI::ExtrasError&) {
    reporter.set_command(command_path(deepest_parsed(app)));
    reporter.usage(explain_extra(app, first_extra(app)));
    return kExitUsage;
  } catch (const CLI::RequiredError& e) {
    reporter.set_command(command_path(deepest_parsed(app)));
    reporter.usage(explain_required(app, e));
    return kExitUsage;
  } catch (const CLI::ParseError& e) {
    reporter.set_command(command_path(deepest_parsed(app)));
    reporter.usage(without_option_prefix(e.what()));
    return kExitUsage;
  }
}

}  // namespace nt::cli
