#include "subcommands/chat/terminal.hpp"

// clang-format off
#include <cstdio>
#include <editline/readline.h>
// clang-format on
#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

namespace nt::chat {

namespace {
Terminal* active = nullptr;  // libedit's callback is a plain function: it finds the terminal here
}  // namespace

std::size_t display_width(std::string_view text) noexcept {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == 0x1b && i + 1 < text.size() && text[i + 1] == '[') {  // CSI … final byte
      i += 2;
      while (i < text.size() && !(text[i] >= 0x40 && text[i] <= 0x7e)) ++i;
      continue;
    }
    if ((c & 0xc0) != 0x80) ++width;  // count lead bytes only
  }
  return width;
}

Terminal::Terminal(event::EventLoop& loop, const std::string& prompt, LineHandler on_line)
    : loop_(loop), prompt_(prompt), on_line_(std::move(on_line)) {
  if (active != nullptr) throw std::logic_error("one Terminal at a time");
  active = this;
  rl_catch_signals = 0;  // SIGINT/SIGTERM are blocked and read through the signalfd (sys/signals)
  rl_inhibit_completion = 1;
  rl_readline_name = "nettool-chat";
  using_history();
  stifle_history(1000);
  rl_callback_handler_install(prompt_.c_str(), &Terminal::line_callback);
  loop_.add(STDIN_FILENO, EPOLLIN, [](uint32_t) { rl_callback_read_char(); });
}

Terminal::~Terminal() {
  if (loop_.watching(STDIN_FILENO)) loop_.remove(STDIN_FILENO);
  clear_input_rows();
  rl_callback_handler_remove();  // restores the terminal's modes
  std::fflush(rl_outstream);
  active = nullptr;
}

void Terminal::line_callback(char* line) {
  Terminal* self = active;
  if (self == nullptr) return std::free(line);
  std::optional<std::string> text;
  if (line != nullptr) {
    text = line;
    if (!text->empty()) add_history(line);
    std::free(line);
  }
  self->handling_line_ = true;
  self->on_line_(std::move(text));
  self->handling_line_ = false;
  // libedit's callback mode returns the terminal to cooked mode before calling us and re-enters edit
  // mode only with the next character, which a cooked terminal holds back until Enter (and echoes
  // itself): installing the handler again enters edit mode and draws a fresh prompt now.
  if (active == self) rl_callback_handler_install(self->prompt_.c_str(), &Terminal::line_callback);
}

// Moves to the first row of the prompt and clears to the end of the screen: the input may wrap over
// several rows, and the cursor may be on any of them.
void Terminal::clear_input_rows() {
  int rows = 0, cols = 0;
  rl_get_screen_size(&rows, &cols);
  std::size_t before_cursor = display_width(prompt_) + static_cast<std::size_t>(std::max(rl_point, 0));
  std::size_t cursor_row = cols > 0 ? before_cursor / static_cast<std::size_t>(cols) : 0;
  std::string seq = cursor_row > 0 ? fmt::format("\x1b[{}A", cursor_row) : "";
  seq += "\r\x1b[J";
  std::fputs(seq.c_str(), rl_outstream);
  std::fflush(rl_outstream);
}

void Terminal::print_above(const std::function<void()>& print) {
  // While a line is being handled libedit has already moved below it: nothing to clear or redraw.
  if (handling_line_) return print();
  clear_input_rows();
  print();
  std::fflush(stdout);
  std::fflush(stderr);
  rl_forced_update_display();
}

void Terminal::set_prompt(const std::string& prompt) {
  if (prompt == prompt_) return;
  prompt_ = prompt;
  if (handling_line_) return;  // line_callback installs the handler again, with the new prompt
  // libedit draws the prompt it had when the line began, whatever rl_set_prompt says since: start the
  // line again under the new prompt and put back what was typed (the cursor goes to its end).
  std::string typed(rl_line_buffer != nullptr ? rl_line_buffer : "",
                    static_cast<std::size_t>(std::max(rl_end, 0)));
  clear_input_rows();
  rl_callback_handler_remove();
  rl_callback_handler_install(prompt_.c_str(), &Terminal::line_callback);
  if (!typed.empty()) {
    rl_insert_text(typed.c_str());
    rl_forced_update_display();
  }
}

}  // namespace nt::chat
