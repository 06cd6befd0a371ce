// The chat session: joins (and, with --reconnect, rejoins under the same name after a loss), sends what
// the user types, turns every line from the server into a record, answers pings, and decides how the
// run ends: --exit's acknowledgement, a --wait-for match, the deadline, /quit, or the server leaving.
//
// Acknowledgement: after the last line we owe (the --send messages, or stdin until its end) we send a
// `list` request; the server answers in order, so its `user_list` reply proves it has processed
// everything before it. No `error` may have come from the server meanwhile.
#pragma once
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "event/loop.hpp"
#include "output/record.hpp"
#include "subcommands/chat/client_backoff.hpp"
#include "subcommands/chat/client_connect.hpp"
#include "subcommands/chat/client_link.hpp"
#include "subcommands/chat/client_match.hpp"
#include "subcommands/chat/client_records.hpp"

namespace nt::chat {

struct SessionConfig {
  std::string name;
  std::vector<std::string> send;
  bool exit_after_ack = false;
  bool stay = false;
  std::optional<RecordPattern> wait_for;
  std::chrono::nanoseconds timeout{};
  bool reconnect = false;
  std::optional<int> max_attempts;
  TextStyle style;
};

class ChatSession {
 public:
  using Show = std::function<void(output::Record)>;
  ChatSession(event::EventLoop& loop, SessionConfig config, ClientTarget target, Show show);

  // Connects and joins. Without --reconnect a failure throws (exit 3); with it, retries are scheduled.
  void start();
  void send_text(const std::string& text, const std::optional<std::string>& to = std::nullopt);
  void request_list();
  void change_name(const std::string& name);
  void quit();         // the user is done: close and end with 0
  void input_ended();  // stdin's end: wait for the acknowledgement, then end (unless --stay/--wait-for)
  void interrupted();  // SIGINT/SIGTERM
  // Input should pause while this much is queued for a slow server.
  bool backlogged() const noexcept;
  // Lines sent between these two go out together (ServerLink::hold).
  void hold_output() noexcept;
  void release_output();

  int exit_code() const noexcept { return exit_code_; }
  const std::string& failure() const noexcept { return failure_; }
  const std::string& name() const noexcept { return config_.name; }
  ClientSummary summary() const;

 private:
  bool try_connect();
  void on_connected(ConnectedStream cs);
  void on_line(std::string_view line);
  void on_message(const Message& m);
  void on_closed(const std::string& reason);
  void on_refused(const Error& e);
  void schedule_reconnect(const std::string& reason);
  void send_line(const std::string& line);
  void ask_for_ack();
  void start_deadline();
  void finish(int code, std::string failure = {});

  event::EventLoop& loop_;
  SessionConfig config_;
  ClientTarget target_;
  Show show_;
  std::unique_ptr<ServerLink> link_, dead_link_;
  std::string peer_, backlog_;  // backlog_: lines written while disconnected, sent after the rejoin
  Backoff backoff_;
  std::optional<uint64_t> own_id_;
  uint64_t lists_sent_ = 0, lists_answered_ = 0;
  std::optional<uint64_t> ack_at_;  // lists_answered_ value that acknowledges everything
  std::optional<event::EventLoop::TimerId> deadline_;
  bool ended_ = false, awaiting_ack_ = false, server_error_ = false, joined_ = false;
  int exit_code_ = 0, failed_attempts_ = 0;
  std::string failure_;
  ClientSummary stats_;
  sys::MonoClock::time_point started_ = sys::MonoClock::now(), connected_at_{};
};

}  // namespace nt::chat
