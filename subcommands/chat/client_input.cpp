#include "subcommands/chat/client_input.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "net/io.hpp"
#include "subcommands/chat/client_options.hpp"

namespace nt::chat {

namespace {
constexpr std::size_t kChunk = 16 * 1024;
constexpr std::chrono::milliseconds kBackoffPoll{20};
}  // namespace

ScriptInput::ScriptInput(event::EventLoop& loop, ChatSession& session, Warn warn)
    : loop_(loop), session_(session), warn_(std::move(warn)), splitter_(kMaxMessageBytes) {
  try {
    loop_.add(STDIN_FILENO, EPOLLIN, [this](uint32_t) { read_some(); });
  } catch (const std::system_error& e) {
    if (e.code().value() != EPERM) throw;
    pollable_ = false;  // a regular file or /dev/null: always readable, so read it from a timer
    pause_for(std::chrono::milliseconds(0));
  }
}

ScriptInput::~ScriptInput() {
  if (timer_) loop_.cancel_timer(*timer_);
  if (pollable_ && loop_.watching(STDIN_FILENO)) loop_.remove(STDIN_FILENO);
}

void ScriptInput::pause_for(std::chrono::milliseconds delay) {
  if (pollable_) loop_.park(STDIN_FILENO);
  timer_ = loop_.add_timer(delay, [this] {
    timer_.reset();
    if (pollable_) return loop_.unpark(STDIN_FILENO);
    read_some();
  });
}

void ScriptInput::read_some() {
  if (done_) return;
  std::array<std::byte, kChunk> buf;
  ssize_t n = net::try_read(STDIN_FILENO, buf);
  if (n == -EAGAIN) return;
  if (n < 0) throw std::system_error(static_cast<int>(-n), std::generic_category(), "reading stdin");
  if (n == 0) return on_eof();
  auto on_line = [this](std::string_view line) {
    ++line_number_;
    if (!line.empty()) session_.send_text(std::string(line));
  };
  auto on_overlong = [this] {
    ++line_number_;
    warn_(fmt::format("stdin line {}: longer than {} bytes, not sent", line_number_, kMaxMessageBytes));
  };
  session_.hold_output();
  splitter_.feed(std::span(buf).first(static_cast<std::size_t>(n)), on_line, on_overlong);
  session_.release_output();
  if (session_.backlogged()) return pause_for(kBackoffPoll);
  if (!pollable_) pause_for(std::chrono::milliseconds(0));
}

void ScriptInput::on_eof() {
  done_ = true;
  if (pollable_) loop_.remove(STDIN_FILENO);
  // A last line without its '\n' still counts.
  static constexpr std::byte kNewline{'\n'};
  if (splitter_.buffered() > 0) {
    splitter_.feed(
        std::span(&kNewline, 1), [this](std::string_view line) { session_.send_text(std::string(line)); },
        [] {});
  }
  session_.input_ended();
}

}  // namespace nt::chat
