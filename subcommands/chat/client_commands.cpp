#include "subcommands/chat/client_commands.hpp"

#include <fmt/format.h>

#include "output/escape.hpp"
#include "subcommands/chat/client_options.hpp"
#include "subcommands/chat/protocol.hpp"

namespace nt::chat::command {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "word rest" → {"word", "rest"}.
std::pair<std::string_view, std::string_view> first_word(std::string_view s) {
  s = trim(s);
  std::size_t space = s.find_first_of(" \t");
  if (space == std::string_view::npos) return {s, {}};
  return {s.substr(0, space), trim(s.substr(space + 1))};
}

Command checked_text(std::string_view text) {
  if (text.size() > kMaxMessageBytes)
    return Invalid{fmt::format("message too long ({} bytes; at most {})", text.size(), kMaxMessageBytes)};
  return Say{std::string(text)};
}

Command name_command(std::string_view name) {
  if (auto problem = name_problem(name))
    return Invalid{fmt::format("invalid name '{}': {}", output::escape_for_terminal(name), *problem)};
  return ChangeNick{std::string(name)};
}

Command whisper(std::string_view args) {
  auto [to, text] = first_word(args);
  if (to.empty() || text.empty()) return Invalid{"usage: /msg NAME TEXT"};
  Command said = checked_text(text);
  if (auto* say = std::get_if<Say>(&said)) return Whisper{std::string(to), std::move(say->text)};
  return said;
}

}  // namespace

Command parse(std::string_view line) {
  if (trim(line).empty()) return Nothing{};
  if (line.substr(0, 2) == "//") return checked_text(line.substr(1));
  if (line.front() != '/') return checked_text(line);
  auto [word, args] = first_word(line);
  if (word == "/msg") return whisper(args);
  if (word == "/list" && args.empty()) return ListUsers{};
  if (word == "/nick") return args.empty() ? Command{Invalid{"usage: /nick NAME"}} : name_command(args);
  if (word == "/quit") return Quit{};
  if (word == "/help") return Help{};
  return Invalid{fmt::format("unknown command '{}' (/help lists them; '//' sends a leading '/')",
                             output::escape_for_terminal(word))};
}

std::string_view help_text() noexcept {
  return "/msg NAME TEXT   private message to NAME\n"
         "/list            who is online\n"
         "/nick NAME       change your name\n"
         "/quit            leave (Ctrl-D too)\n"
         "//TEXT           send a message starting with '/'";
}

}  // namespace nt::chat::command
