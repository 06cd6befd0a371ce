// Interactive mode: the terminal UI. Records from the server are printed above the input line (the
// text sink, so colours and escaping are the same as in scripted text mode); typed lines are messages
// or /commands; local notes (help, a mistyped command) go to stderr, above the input line too.
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <variant>

#include "output/escape.hpp"
#include "subcommands/chat/client.hpp"
#include "subcommands/chat/client_commands.hpp"
#include "subcommands/chat/overloaded.hpp"
#include "subcommands/chat/terminal.hpp"

namespace nt::chat {

namespace {

std::string prompt_for(const std::string& name) {
  return output::escape_for_terminal(name) + "> ";
}

void note(Terminal& term, std::string_view text) {
  term.print_above([&] {
    std::fwrite(text.data(), 1, text.size(), stderr);
    std::fputc('\n', stderr);
  });
}

void handle_line(ChatSession& session, Terminal& term, const std::optional<std::string>& line) {
  if (!line) return session.quit();  // Ctrl-D on an empty line
  std::visit(Overloaded{
                 [&](const command::Say& c) { session.send_text(c.text); },
                 [&](const command::Whisper& c) { session.send_text(c.text, c.to); },
                 [&](const command::ListUsers&) { session.request_list(); },
                 [&](const command::ChangeNick& c) { session.change_name(c.name); },
                 [&](const command::Quit&) { session.quit(); },
                 [&](const command::Help&) { note(term, command::help_text()); },
                 [&](const command::Nothing&) {},
                 [&](const command::Invalid& c) { note(term, c.problem); },
             },
             command::parse(*line));
}

}  // namespace

int run_interactive(event::EventLoop& loop, const SessionConfig& config, const ClientTarget& target,
                    cli::Runtime& rt) {
  std::unique_ptr<Terminal> term;
  ChatSession* self = nullptr;
  auto show = [&](output::Record rec) {
    if (!term) return rt.out.emit(std::move(rec));
    term->print_above([&] { rt.out.emit(std::move(rec)); });
    term->set_prompt(prompt_for(self->name()));  // a confirmed /nick changes the prompt
  };
  ChatSession session(loop, config, target, show);
  self = &session;
  loop.on_signal([&session](int) { session.interrupted(); });
  session.start();  // connected before the terminal enters edit mode: a failure prints as usual
  term = std::make_unique<Terminal>(loop, prompt_for(session.name()), [&](std::optional<std::string> line) {
    handle_line(session, *term, line);
  });
  loop.run();
  term.reset();  // the terminal's modes restored before the summary and any error line
  return conclude(session, rt);
}

}  // namespace nt::chat
