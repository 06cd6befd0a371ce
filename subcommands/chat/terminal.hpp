// The interactive terminal: line editing and history from libedit (BSD licence) through its
// readline-compatible callback interface, driven by the event loop (one character per readiness), and
// print_above(), which prints a line above the input line without garbling what is being typed: it
// clears the input rows, prints, and has libedit redraw the prompt, the typed text and the cursor.
#pragma once
#include <functional>
#include <optional>
#include <string>

#include "event/loop.hpp"

namespace nt::chat {

class Terminal {
 public:
  // nullopt: end of input (Ctrl-D on an empty line).
  using LineHandler = std::function<void(std::optional<std::string> line)>;

  // One at a time (libedit keeps global state). Puts the terminal in edit mode until destroyed.
  Terminal(event::EventLoop& loop, const std::string& prompt, LineHandler on_line);
  ~Terminal();
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;

  void print_above(const std::function<void()>& print);
  void set_prompt(const std::string& prompt);

 private:
  static void line_callback(char* line);
  void clear_input_rows();

  event::EventLoop& loop_;
  std::string prompt_;
  LineHandler on_line_;
  bool handling_line_ = false;
};

// The number of terminal columns `text` takes: code points, ignoring ANSI colour sequences (an
// approximation: wide characters count as one column).
std::size_t display_width(std::string_view text) noexcept;

}  // namespace nt::chat
