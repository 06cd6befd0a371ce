#include "cli/completions.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>

#include "cli/help_format.hpp"
#include "sys/error.hpp"

namespace nt::cli {

Shell parse_shell(std::string_view name) {
  if (name == "bash") return Shell::bash;
  if (name == "zsh") return Shell::zsh;
  if (name == "fish") return Shell::fish;
  throw UsageError(fmt::format("invalid shell '{}': expected bash, zsh or fish", name));
}

namespace {
// What an option's value completes to, from its help label (cli/help_format.hpp): FILE → files,
// DIR → directories, IFACE → interface names, "a|b|c" or a known label → those words, else nothing
// (a number or a host: offering option names there would be wrong).
struct ValueKind {
  enum { none, flag, words, files, dirs, interfaces } kind = flag;
  std::string choices;  // for words: space-separated
};

struct Word {
  std::string text, description;
  bool is_long = false;
  ValueKind value;
};

bool all_lowercase_words(const std::string& label) {
  return !label.empty() &&
         label.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789|-") == std::string::npos;
}

ValueKind value_kind(const CLI::Option* opt) {
  if (opt->get_type_size() == 0) return {};
  std::string label = short_type_label(opt->get_type_name());
  if (all_lowercase_words(label)) {
    std::replace(label.begin(), label.end(), '|', ' ');
    return {ValueKind::words, label};
  }
  if (label == "FORMAT") return {ValueKind::words, "text json jsonl list"};
  if (label == "WHEN") return {ValueKind::words, "auto always never"};
  if (label == "SHELL") return {ValueKind::words, "bash zsh fish"};
  if (label.starts_with("FILE")) return {ValueKind::files, ""};
  if (label == "DIR") return {ValueKind::dirs, ""};
  if (label.starts_with("IFACE")) return {ValueKind::interfaces, ""};
  return {ValueKind::none, ""};
}

std::vector<const CLI::App*> subcommands_of(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App*) { return true; });
}

bool visible(const CLI::Option* opt) {
  return !opt->get_group().empty() && (!opt->get_lnames().empty() || !opt->get_snames().empty());
}

// Options first (long, then short), then subcommands, each with its help text.
std::vector<Word> words_of(const CLI::App& app) {
  std::vector<Word> out;
  for (const CLI::Option* opt : app.get_options({})) {
    if (!visible(opt)) continue;
    for (const auto& l : opt->get_lnames())
      out.push_back({"--" + l, opt->get_description(), true, value_kind(opt)});
    for (const auto& s : opt->get_snames())
      out.push_back({"-" + s, opt->get_description(), false, value_kind(opt)});
  }
  for (const auto* sub : subcommands_of(app))
    out.push_back({sub->get_name(), sub->get_description(), false, {}});
  return out;
}

// The root's options that still make sense after a subcommand (not --help, --version, --install-links).
std::vector<Word> global_words(const CLI::App& app) {
  std::vector<Word> out;
  for (auto& w : words_of(app)) {
    bool option = w.text.starts_with("-");
    if (option && w.text != "--help" && w.text != "-h" && w.text != "--version" &&
        w.text != "--install-links" && w.text != "--force") {
      out.push_back(std::move(w));
    }
  }
  return out;
}

// A context's own words plus, below the root, the global options (they work everywhere).
std::vector<Word> context_words(const CLI::App& app, const std::string& ctx, const CLI::App& node) {
  std::vector<Word> words = words_of(node);
  if (!ctx.empty()) {
    auto globals = global_words(app);
    words.insert(words.end(), globals.begin(), globals.end());
  }
  return words;
}

std::string joined(const std::vector<Word>& words) {
  std::string s;
  for (const auto& w : words) s += (s.empty() ? "" : " ") + w.text;
  return s;
}

std::string single_quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Every (context, App) pair: "" for the root, "ping", "tcp-echo/server".
std::vector<std::pair<std::string, const CLI::App*>> contexts(const CLI::App& app) {
  std::vector<std::pair<std::string, const CLI::App*>> out{{"", &app}};
  for (const auto* sub : subcommands_of(app)) {
    out.emplace_back(sub->get_name(), sub);
    for (const auto* nested : subcommands_of(*sub))
      out.emplace_back(sub->get_name() + "/" + nested->get_name(), nested);
  }
  return out;
}

// Shell `case` arms that move the context forward when a subcommand word is seen.
std::string transitions(const CLI::App& app, const char* arm) {
  std::string out;
  for (const auto& [ctx, node] : contexts(app)) {
    for (const auto* sub : subcommands_of(*node)) {
      std::string next = ctx.empty() ? sub->get_name() : ctx + "/" + sub->get_name();
      out += fmt::format(fmt::runtime(arm), ctx + ":" + sub->get_name(), next);
    }
  }
  return out;
}

std::string link_names(const CLI::App& app) {
  std::string out;
  for (const auto* sub : subcommands_of(app)) out += " nettool-" + sub->get_name();
  return out;
}

// `case "$ctx $prev"` arms: after an option that takes a value, complete the value (or nothing).
std::string bash_value_arms(const CLI::App& app) {
  std::string arms;
  for (const auto& [ctx, node] : contexts(app)) {
    for (const auto& w : context_words(app, ctx, *node)) {
      if (w.value.kind == ValueKind::flag) continue;
      std::string action = "compopt +o default 2>/dev/null; return";  // a free value: nothing to offer
      if (w.value.kind == ValueKind::words)
        action =
            fmt::format("COMPREPLY=($(compgen -W {} -- \"$cur\")); return", single_quoted(w.value.choices));
      if (w.value.kind == ValueKind::files) action = "COMPREPLY=($(compgen -f -- \"$cur\")); return";
      if (w.value.kind == ValueKind::dirs) action = "COMPREPLY=($(compgen -d -- \"$cur\")); return";
      if (w.value.kind == ValueKind::interfaces)
        action = "COMPREPLY=($(compgen -W \"$(ls /sys/class/net 2>/dev/null)\" -- \"$cur\")); return";
      arms += fmt::format("    {}) {} ;;\n", single_quoted(ctx + " " + w.text), action);
    }
  }
  return arms;
}

std::string bash_completion(const CLI::App& app) {
  std::string cases;
  for (const auto& [ctx, node] : contexts(app)) {
    std::string words = joined(words_of(*node));
    if (!ctx.empty()) words += " " + joined(global_words(app));  // global options work everywhere
    cases += fmt::format("    {}) words={} ;;\n", single_quoted(ctx), single_quoted(words));
  }
  return fmt::format(
      "# bash completion for nettool. Generated by `nettool --generate-completion bash`; do not edit.\n"
      "_nettool() {{\n"
      "  local cur=${{COMP_WORDS[COMP_CWORD]}} ctx='' w i words\n"
      "  local base=${{COMP_WORDS[0]##*/}}\n"
      "  [[ $base == nettool-* ]] && ctx=${{base#nettool-}}\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "    w=${{COMP_WORDS[i]}}\n"
      "    case \"$ctx:$w\" in\n{}    esac\n"
      "  done\n"
      "  case \"$ctx ${{COMP_WORDS[COMP_CWORD-1]}}\" in\n{}  esac\n"
      "  case \"$ctx\" in\n{}  esac\n"
      "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
      "}}\n"
      "complete -o default -F _nettool nettool{}\n",
      transitions(app, "      {0:?}) ctx={1:?} ;;\n"), bash_value_arms(app), cases, link_names(app));
}

std::string zsh_items(const std::vector<Word>& words) {
  std::string items;
  for (const auto& w : words) {
    std::string text = w.text;
    std::string desc = w.description.substr(0, w.description.find('\n'));
    items += " " + single_quoted(text + ":" + desc);
  }
  return items;
}

std::string zsh_value_arms(const CLI::App& app) {
  std::string arms;
  for (const auto& [ctx, node] : contexts(app)) {
    for (const auto& w : context_words(app, ctx, *node)) {
      std::string action;
      switch (w.value.kind) {
        case ValueKind::flag:
          continue;
        case ValueKind::none:
          action = "return 1";
          break;
        case ValueKind::words:
          action = "compadd -- " + w.value.choices + "; return";
          break;
        case ValueKind::files:
          action = "_files; return";
          break;
        case ValueKind::dirs:
          action = "_files -/; return";
          break;
        case ValueKind::interfaces:
          action = "compadd -- $(ls /sys/class/net 2>/dev/null); return";
          break;
      }
      arms += fmt::format("    {}) {} ;;\n", single_quoted(ctx + " " + w.text), action);
    }
  }
  return arms;
}

std::string zsh_completion(const CLI::App& app) {
  std::string cases;
  for (const auto& [ctx, node] : contexts(app)) {
    std::string items = zsh_items(words_of(*node)) + (ctx.empty() ? "" : zsh_items(global_words(app)));
    cases += fmt::format("    ({}) items=({}) ;;\n", single_quoted(ctx), items);
  }
  return fmt::format(
      "#compdef nettool{}\n"
      "# zsh completion for nettool. Generated by `nettool --generate-completion zsh`; do not edit.\n"
      "_nettool() {{\n"
      "  local ctx='' w i\n"
      "  local -a items\n"
      "  local base=${{words[1]:t}}\n"
      "  [[ $base == nettool-* ]] && ctx=${{base#nettool-}}\n"
      "  for ((i = 2; i < CURRENT; i++)); do\n"
      "    w=${{words[i]}}\n"
      "    case \"$ctx:$w\" in\n{}    esac\n"
      "  done\n"
      "  case \"$ctx ${{words[CURRENT-1]}}\" in\n{}  esac\n"
      "  case \"$ctx\" in\n{}  esac\n"
      "  _describe -t nettool 'nettool' items\n"
      "}}\n"
      "_nettool \"$@\"\n",
      link_names(app), transitions(app, "      ({0:?}) ctx={1:?} ;;\n"), zsh_value_arms(app), cases);
}

std::string fish_condition(const std::string& ctx) {
  if (ctx.empty()) return "__fish_use_subcommand";
  auto slash = ctx.find('/');
  if (slash == std::string::npos) return "__fish_seen_subcommand_from " + ctx;
  return fmt::format("__fish_seen_subcommand_from {}; and __fish_seen_subcommand_from {}",
                     ctx.substr(0, slash), ctx.substr(slash + 1));
}

std::string fish_line(const std::string& ctx, const Word& w, bool global) {
  std::string cond = global ? "" : fmt::format(" -n {}", single_quoted(fish_condition(ctx)));
  std::string what;
  if (w.is_long)
    what = " -l " + w.text.substr(2);
  else if (w.text.starts_with("-"))
    what = " -s " + w.text.substr(1);
  else
    what = " -a " + w.text;
  switch (w.value.kind) {
    case ValueKind::flag:
      break;
    case ValueKind::none:
      what += " -x";
      break;
    case ValueKind::words:
      what += " -x -a " + single_quoted(w.value.choices);
      break;
    case ValueKind::files:
      what += " -r -F";
      break;
    case ValueKind::dirs:
      what += " -x -a '(__fish_complete_directories)'";
      break;
    case ValueKind::interfaces:
      what += " -x -a '(__fish_print_interfaces)'";
      break;
  }
  std::string desc = w.description.substr(0, w.description.find('\n'));
  return fmt::format("complete -c nettool{}{} -d {}\n", cond, what, single_quoted(desc));
}

std::string fish_completion(const CLI::App& app) {
  std::string out =
      "# fish completion for nettool. Generated by `nettool --generate-completion fish`; do not edit.\n";
  for (const auto& [ctx, node] : contexts(app)) {
    for (const auto& w : words_of(*node)) out += fish_line(ctx, w, ctx.empty() && w.text.starts_with("-"));
  }
  return out;
}
}  // namespace

std::string generate_completion(const CLI::App& app, Shell shell) {
  switch (shell) {
    case Shell::zsh:
      return zsh_completion(app);
    case Shell::fish:
      return fish_completion(app);
    case Shell::bash:
      break;
  }
  return bash_completion(app);
}

std::string list_options(const CLI::App& app) {
  std::string out;
  for (const auto& w : words_of(app)) {
    if (w.is_long) out += w.text + "\n";
  }
  return out;
}

}  // namespace nt::cli
