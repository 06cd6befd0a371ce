// The room's protocol side: one line from a client, parsed and answered (codes in protocol.hpp).
#include <fmt/format.h>

#include <algorithm>

#include "subcommands/chat/overloaded.hpp"
#include "subcommands/chat/server_room.hpp"

namespace nt::chat {

namespace {
bool blank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}
}  // namespace

void Room::handle_line(Client& c, std::string_view line) {
  if (c.conn.closing() || blank(line)) return;
  ParseResult r = parse_message(line);
  using S = ParseResult::Status;
  if (r.status == S::unknown_type) {
    // An extension we do not know: answered, but not held against the client.
    return reject(c, code::bad_request, r.error, false);
  }
  if (!r.ok()) return reject(c, code::bad_request, r.error);
  if (!std::holds_alternative<Pong>(*r.message) && !take_token(c)) return;
  c.bad_lines = 0;
  std::visit(Overloaded{
                 [&](const Join& m) { handle(c, m); },
                 [&](const ChatMessage& m) { handle(c, m); },
                 [&](const Nick& m) { handle(c, m); },
                 [&](const List&) { handle_list(c); },
                 [&](const Ping&) { reply(c, Pong{}); },
                 [&](const Pong&) {},
                 [&](const Hello&) {
                   reply(c, Hello{{"data", "hello", "nick", "ping", "private"}, std::string("nettool")});
                 },
                 [&](const auto&) {
                   reject(c, code::bad_request, fmt::format("'{}' is sent by servers, not clients", r.type));
                 },
             },
             *r.message);
}

// Pongs are free: a heartbeat answer must never be rate limited into a disconnect.
bool Room::take_token(Client& c) {
  if (opts_.rate <= 0 || c.rate.try_take(c.conn.loop().now())) {
    c.limited = 0;
    return true;
  }
  if (++c.limited > kMaxLimitedLines) {
    drop(c, code::rate_limited, "too many messages over the rate limit", "limit");
  } else {
    reply(c, Error{code::rate_limited, fmt::format("rate limit: {} messages per second", opts_.rate)});
  }
  return false;
}

void Room::reject(Client& c, int code, std::string message, bool counts) {
  if (counts && ++c.bad_lines >= kMaxBadLines) {
    return drop(c, code::bad_request, fmt::format("{} bad lines in a row: {}", kMaxBadLines, message),
                "protocol_error");
  }
  reply(c, Error{code, std::move(message)});
}

void Room::handle(Client& c, const Join& m) {
  if (c.joined()) return reject(c, code::conflict, fmt::format("already joined as '{}'", c.name), false);
  if (auto problem = name_problem(m.name)) return reject(c, code::bad_request, *problem, false);
  if (by_name_.count(m.name) != 0) return reject(c, code::conflict, "name '" + m.name + "' is taken", false);
  add_member(c, m.name);
  reply(c, Welcome{c.conn.id(), c.name});
  if (by_name_.size() <= opts_.max_announce) broadcast(UserJoined{c.name, c.conn.id()}, &c, false);
  out_.emit(JoinedEvent{c.conn.id(), c.name, c.conn.peer_text(), by_name_.size()}.to_record());
}

void Room::handle(Client& c, const ChatMessage& m) {
  if (!c.joined()) {
    return reject(c, code::not_joined, "join first: {\"type\":\"join\",\"name\":\"…\"}", false);
  }
  c.messages_in++;
  stats_.messages_in++;
  if (!m.to) return broadcast(ChatMessage{m.text, c.name, std::nullopt, c.conn.id()}, &c, true);
  auto it = by_name_.find(*m.to);
  if (it == by_name_.end()) return reject(c, code::not_found, "nobody is called '" + *m.to + "'", false);
  flush_broadcast();
  deliver(*it->second,
          std::make_shared<const std::string>(to_line(ChatMessage{m.text, c.name, m.to, c.conn.id()})), 1);
}

void Room::handle(Client& c, const Nick& m) {
  if (!c.joined()) return reject(c, code::not_joined, "join first", false);
  if (m.name == c.name) return;
  if (auto problem = name_problem(m.name)) return reject(c, code::bad_request, *problem, false);
  if (by_name_.count(m.name) != 0) return reject(c, code::conflict, "name '" + m.name + "' is taken", false);
  std::string old = c.name;
  by_name_.erase(old);
  add_member(c, m.name);
  out_.emit(NickEvent{c.conn.id(), old, c.name}.to_record());
  // Everyone hears it, the client itself too (its confirmation).
  broadcast(Nick{c.name, old, c.conn.id()}, nullptr, false);
}

void Room::handle_list(Client& c) {
  if (!c.joined()) return reject(c, code::not_joined, "join first", false);
  UserList list;
  list.users.reserve(by_name_.size());
  for (const auto& [name, member] : by_name_) list.users.push_back(name);
  std::sort(list.users.begin(), list.users.end());
  reply(c, list);
}

}  // namespace nt::chat
