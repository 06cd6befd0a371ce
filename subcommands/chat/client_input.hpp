// Scripted mode's input: every line of stdin becomes a message (empty lines are skipped; a line longer
// than a message may carry is skipped with a warning). Reading pauses while the server is slow to take
// what is queued, so memory stays bounded. stdin may be a pipe, a terminal, a file or /dev/null (the
// last two cannot be watched by epoll, EPERM: they are read from a timer instead).
#pragma once
#include <functional>
#include <optional>
#include <string>

#include "event/loop.hpp"
#include "subcommands/chat/client_session.hpp"
#include "subcommands/chat/line_splitter.hpp"

namespace nt::chat {

class ScriptInput {
 public:
  using Warn = std::function<void(const std::string&)>;
  ScriptInput(event::EventLoop& loop, ChatSession& session, Warn warn);
  ~ScriptInput();
  ScriptInput(const ScriptInput&) = delete;
  ScriptInput& operator=(const ScriptInput&) = delete;

 private:
  void read_some();
  void pause_for(std::chrono::milliseconds delay);
  void on_eof();

  event::EventLoop& loop_;
  ChatSession& session_;
  Warn warn_;
  LineSplitter splitter_;
  bool pollable_ = true, done_ = false;
  uint64_t line_number_ = 0;
  std::optional<event::EventLoop::TimerId> timer_;
};

}  // namespace nt::chat
