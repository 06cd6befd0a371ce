// What a line typed in interactive mode means: text to send, or a command.
//   /msg NAME TEXT   private message (protocol extension: `to`); NAME is the first word
//   /list            ask who is online
//   /nick NAME       change name (protocol extension: `nick`)
//   /quit            leave (as does Ctrl-D)
//   /help            the commands
//   //TEXT           sends "/TEXT" (a message that starts with '/')
#pragma once
#include <string>
#include <string_view>
#include <variant>

namespace nt::chat::command {

struct Say {
  std::string text;
};
struct Whisper {
  std::string to, text;
};
struct ListUsers {};
struct ChangeNick {
  std::string name;
};
struct Quit {};
struct Help {};
struct Nothing {};  // an empty line
struct Invalid {
  std::string problem;
};

using Command = std::variant<Say, Whisper, ListUsers, ChangeNick, Quit, Help, Nothing, Invalid>;

Command parse(std::string_view line);

// The /help text, one command per line.
std::string_view help_text() noexcept;

}  // namespace nt::chat::command
