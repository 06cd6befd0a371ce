#include "subcommands/chat/client_session.hpp"

#include <fmt/format.h>

#include <variant>

#include "subcommands/chat/overloaded.hpp"
#include "sys/error.hpp"
#include "tls/cli_options.hpp"

namespace nt::chat {

namespace {
// How long a closing session may spend handing the server what is still queued.
constexpr std::chrono::seconds kCloseGrace{1};
// A connection that lasted this long was a real session: the next loss starts the backoff afresh. A
// server that accepts and drops at once keeps the schedule growing instead.
constexpr std::chrono::seconds kStableAfter{10};
}  // namespace

ChatSession::ChatSession(event::EventLoop& loop, SessionConfig config, ClientTarget target, Show show)
    : loop_(loop), config_(std::move(config)), target_(std::move(target)), show_(std::move(show)) {
  stats_.peer = target_.text;
  for (const std::string& text : config_.send) send_text(text);  // into backlog_ until the join
}

void ChatSession::start() {
  if (config_.wait_for || config_.exit_after_ack) start_deadline();
  if (config_.exit_after_ack) awaiting_ack_ = true;
  if (!config_.reconnect) return on_connected(net::connect_stream(target_));  // a failure: exit 3
  try_connect();
}

bool ChatSession::try_connect() {
  try {
    on_connected(net::connect_stream(target_));
    return true;
  } catch (const std::exception& e) {
    if (config_.max_attempts && ++failed_attempts_ >= *config_.max_attempts) {
      finish(kExitRuntime, fmt::format("giving up after {} attempts: {}", failed_attempts_, describe(e)));
    } else {
      schedule_reconnect(describe(e));
    }
    return false;
  }
}

void ChatSession::on_connected(ConnectedStream cs) {
  dead_link_.reset();
  failed_attempts_ = 0;
  peer_ = cs.peer.to_string();
  stats_.peer = peer_;
  if (auto rec = tls::client_tls_record(*cs.stream, peer_, false)) show_(std::move(*rec));
  ServerLink::Handlers handlers{[this](std::string_view line) { on_line(line); },
                                [this] { show_(overlong_line_record(kMaxServerLine)); },
                                [this](const std::string& reason) { on_closed(reason); }};
  link_ = std::make_unique<ServerLink>(loop_, std::move(cs.stream), std::move(handlers));
  lists_sent_ = lists_answered_ = 0;
  ack_at_.reset();
  joined_ = false;
  connected_at_ = sys::MonoClock::now();
  show_(connected_record(peer_, config_.name));
  link_->send(to_line(Join{config_.name}));
  link_->send(std::exchange(backlog_, {}));
  if (awaiting_ack_) ask_for_ack();
}

void ChatSession::send_text(const std::string& text, const std::optional<std::string>& to) {
  ++stats_.sent;
  send_line(to_line(ChatMessage{text, std::nullopt, to, std::nullopt}));
}

void ChatSession::request_list() {
  if (!link_ || !link_->open()) return;  // the next connection's user_list will come by itself
  ++lists_sent_;
  link_->send(to_line(List{}));
}

void ChatSession::change_name(const std::string& name) {
  send_line(to_line(Nick{name, std::nullopt, std::nullopt}));
}

void ChatSession::send_line(const std::string& line) {
  if (link_ && link_->open()) return link_->send(line);
  if (backlog_.size() + line.size() <= kMaxQueued) backlog_ += line;  // else dropped: bounded memory
}

void ChatSession::hold_output() noexcept {
  if (link_) link_->hold();
}

void ChatSession::release_output() {
  if (link_) link_->release();
}

bool ChatSession::backlogged() const noexcept {
  return backlog_.size() > kMaxQueued / 2 || (link_ && link_->queued() > kMaxQueued);
}

void ChatSession::ask_for_ack() {
  awaiting_ack_ = true;
  if (!link_ || !link_->open()) return;  // asked again once reconnected
  request_list();
  ack_at_ = lists_sent_;
}

void ChatSession::on_line(std::string_view line) {
  if (ended_) return;  // the rest of a chunk whose earlier line ended the run (a --wait-for match)
  ParseResult parsed = parse_message(line);
  output::Record rec = parsed.ok() ? event_record(*parsed.message, config_.style)
                       : parsed.status == ParseResult::Status::unknown_type
                           ? unknown_type_record(parsed.type)
                           : invalid_line_record(parsed.error, line.size());
  bool matched = config_.wait_for && matches(*config_.wait_for, rec.data);
  // The message acts first (a confirmed nick renames us before the prompt is redrawn), then shows;
  // an end it decides (the acknowledgement) prints nothing itself, so the record still comes first.
  if (parsed.ok()) {
    ++stats_.received;
    on_message(*parsed.message);
  }
  show_(std::move(rec));
  if (matched) finish(kExitOk);
}

void ChatSession::on_message(const Message& message) {
  std::visit(Overloaded{
                 [&](const Ping&) { send_line(to_line(Pong{})); },
                 [&](const Welcome& w) {
                   joined_ = true;
                   own_id_ = w.id;
                   if (w.name) config_.name = *w.name;
                 },
                 [&](const Nick& n) {
                   if ((own_id_ && n.id == own_id_) || n.old == config_.name) config_.name = n.name;
                 },
                 [&](const UserList&) {
                   ++lists_answered_;
                   if (ack_at_ && lists_answered_ >= *ack_at_ && !config_.wait_for) {
                     if (server_error_) return finish(kExitNegative, failure_);
                     finish(kExitOk);
                   }
                 },
                 [&](const Error& e) {
                   if (!joined_) return on_refused(e);
                   if (server_error_) return;
                   server_error_ = true;  // remembered for --exit's verdict
                   failure_ = fmt::format("the server answered error {}: {}", e.code, e.message);
                 },
                 [](const auto&) {},
             },
             message);
}

// An error before the welcome: the server did not let us join (409 name taken, 503 full). With
// --reconnect it counts as a loss (after a network failure the server may still hold our old session
// under this name for a while); otherwise the run ends.
void ChatSession::on_refused(const Error& e) {
  std::string reason =
      fmt::format("the server refused the join as '{}': error {}: {}", config_.name, e.code, e.message);
  if (!config_.reconnect) return finish(kExitNegative, reason);
  link_->close_gracefully(kCloseGrace);
  dead_link_ = std::move(link_);
  ++stats_.reconnects;
  schedule_reconnect(reason);
}

void ChatSession::on_closed(const std::string& reason) {
  if (sys::MonoClock::now() - connected_at_ >= kStableAfter) backoff_.reset();
  dead_link_ = std::move(link_);  // we are inside its callback: destroyed at the next connect or exit
  show_(disconnected_record(peer_, reason));
  if (ended_) return;
  if (!config_.reconnect) return finish(kExitNegative, fmt::format("{}: {}", peer_, reason));
  ++stats_.reconnects;
  schedule_reconnect(reason);
}

void ChatSession::schedule_reconnect(const std::string& reason) {
  std::chrono::nanoseconds delay = backoff_.next();
  show_(reconnecting_record(backoff_.attempt(), sys::to_seconds(delay), target_.text, reason));
  loop_.add_timer(delay, [this] {
    if (!ended_) try_connect();
  });
}

void ChatSession::start_deadline() {
  if (deadline_) return;
  deadline_ = loop_.add_timer(config_.timeout, [this] {
    deadline_.reset();
    double s = sys::to_seconds(config_.timeout);
    if (config_.wait_for)
      return finish(kExitNegative, fmt::format("no record matched --wait-for within {} s", s));
    finish(kExitNegative, fmt::format("the server did not acknowledge within {} s", s));
  });
}

void ChatSession::quit() {
  finish(kExitOk);
}

void ChatSession::input_ended() {
  if (config_.stay || config_.wait_for || ended_) return;
  start_deadline();
  ask_for_ack();
}

void ChatSession::interrupted() {
  if (config_.wait_for) return finish(kExitNegative, "interrupted before a record matched --wait-for");
  if (awaiting_ack_) return finish(kExitNegative, "interrupted before the server acknowledged");
  finish(kExitOk);
}

void ChatSession::finish(int code, std::string failure) {
  if (ended_) return;
  ended_ = true;
  exit_code_ = code;
  failure_ = code == kExitOk ? std::string{} : std::move(failure);
  if (deadline_) loop_.cancel_timer(*deadline_);
  if (link_) link_->close_gracefully(kCloseGrace);
  loop_.stop();
}

ClientSummary ChatSession::summary() const {
  ClientSummary s = stats_;
  s.duration_s = sys::to_seconds(sys::MonoClock::now() - started_);
  return s;
}

}  // namespace nt::chat
