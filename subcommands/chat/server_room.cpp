// The room's connection side: clients coming and going, fan-out, heartbeats, dropping clients.
#include "subcommands/chat/server_room.hpp"

#include <utility>

#include "net/broadcast_pipe.hpp"
#include "sys/clock.hpp"
#include "tls/records.hpp"

namespace nt::chat {

namespace {
// The broadcast lines of one read go out in pieces, so receivers start while the rest is parsed
// instead of after the whole read. Each piece costs every receiver a tee, a splice and a wake-up: with
// the C++ fan-out driver (tests/bench/chat-server.sh), 32 KiB pieces cost 0.10 µs of server CPU per
// delivery, 128 KiB 0.07, the whole read at once 0.06. A small first piece brings the first byte of a
// 1,000-line burst from ~1.5 ms to ~0.6 ms for ~15% of the deliveries per second.
constexpr std::size_t kPipelineBytes = std::size_t{128} * 1024;
constexpr std::size_t kFirstPieceBytes = net::BroadcastPipe::kMinBytes;
Client& client_of(net::ServerConnection& c) {
  return *static_cast<Client*>(c.user);
}

net::ServerConnection::Chunk chunk_of(const Message& m) {
  return std::make_shared<const std::string>(to_line(m));
}
}  // namespace

Room::Room(const ServerOptions& opts, output::Output& out, const tls::ServerTls& tls)
    : opts_(opts), out_(out), tls_(tls) {}
Room::~Room() = default;

void Room::on_open(net::ServerConnection& c) {
  auto client = std::make_unique<Client>(c, opts_, c.loop().now());
  client->index = clients_.size();
  c.user = client.get();
  clients_.push_back(std::move(client));
  stats_.connections++;
  stats_.peak = std::max(stats_.peak, clients_.size());
  if (auto rec = tls_.record_for(c.stream(), c.id(), c.peer_text())) out_.emit(std::move(*rec));
}

void Room::on_data(net::ServerConnection& conn, std::span<const std::byte> data) {
  Client& c = client_of(conn);
  c.last_input = conn.loop().now();
  c.pinged = false;
  std::size_t piece = kFirstPieceBytes;
  c.lines.feed(
      data,
      [&](std::string_view line) {
        handle_line(c, line);
        if (pending_.size() < piece) return;
        flush_broadcast();
        piece = kPipelineBytes;
      },
      [&] { reject(c, code::too_long, fmt::format("line longer than {} bytes", opts_.max_line)); });
  flush_broadcast();
}

void Room::on_close(net::ServerConnection& conn, std::string_view core_reason) {
  Client& c = client_of(conn);
  std::string reason = leave_reason(c, core_reason);
  if (reason == "idle" || reason == "slow_reader" || reason == "limit" || reason == "protocol_error") {
    stats_.dropped_clients++;
  }
  LeftEvent left;
  left.id = conn.id();
  if (!c.name.empty()) left.name = c.name;
  left.peer = conn.peer_text();
  left.reason = reason;
  left.messages_in = c.messages_in;
  left.bytes_in = conn.bytes_in();
  left.bytes_out = conn.bytes_out();
  left.duration_s = sys::to_seconds(conn.loop().now() - conn.started());
  stats_.bytes_in += conn.bytes_in();
  stats_.bytes_out += conn.bytes_out();
  out_.emit(left.to_record());
  std::erase(leaving_, &c);
  if (c.joined()) remove_member(c);
  // Swap-remove: the last client takes this one's slot.
  std::size_t i = c.index;
  std::swap(clients_[i], clients_.back());
  clients_[i]->index = i;
  conn.user = nullptr;
  clients_.pop_back();
  flush_broadcast();
}

// "quit": the client closed after a whole line; "eof": in the middle of one.
std::string Room::leave_reason(const Client& c, std::string_view core) const {
  if (!c.leave_reason.empty()) return c.leave_reason;
  if (core == "eof") return c.lines.buffered() == 0 && !c.lines.discarding() ? "quit" : "eof";
  if (core == "idle_timeout") return c.conn.queued() > 0 ? "slow_reader" : "idle";
  if (core == "error") return "reset";
  return std::string(core);  // reset, slow_reader, shutdown
}

void Room::on_shutdown(net::ServerConnection& conn) {
  shutting_down_ = true;  // no user_left for each of thousands of clients on the way out
  reply(client_of(conn), Error{code::unavailable, "server shutting down"});
  leaving_.clear();  // nobody is left to hear it
}

void Room::on_refused(const net::SocketAddress& peer, std::string_view reason, std::size_t active) {
  stats_.refused++;
  out_.emit(RefusedEvent{peer.to_string(), std::string(reason), active}.to_record());
}

void Room::on_handshake_failed(const net::SocketAddress& peer, std::string_view why) {
  out_.emit(tls::HandshakeFailedEvent{peer.to_string(), std::string(why)}.to_record());
}

void Room::sweep(event::TimePoint now) {
  auto heartbeat = sys::from_seconds(opts_.heartbeat_s);
  auto idle = sys::from_seconds(opts_.idle_timeout_s);
  // Index loop: drop() only marks for closing; clients_ changes after this callback.
  for (std::size_t i = 0; i < clients_.size(); ++i) {
    Client& c = *clients_[i];
    if (c.conn.closing()) {
      if (c.abort_at != event::TimePoint{} && now >= c.abort_at) c.conn.abort(c.leave_reason);
      continue;
    }
    auto silent = now - c.last_input;
    if (opts_.idle_timeout_s > 0 && silent >= idle) {
      drop(c, code::idle, "no input within the idle timeout", "idle");
    } else if (opts_.heartbeat_s > 0 && silent >= heartbeat && !c.pinged) {
      c.pinged = true;
      reply(c, Ping{});
    }
  }
  flush_broadcast();
}

ChatStats Room::stats() const {
  ChatStats s = stats_;
  s.clients = clients_.size();
  s.members = by_name_.size();
  for (const auto& c : clients_) {
    s.bytes_in += c->conn.bytes_in();
    s.bytes_out += c->conn.bytes_out();
  }
  return s;
}

void Room::reply(Client& to, const Message& m) {
  flush_broadcast();  // whatever was broadcast before goes out before this
  deliver(to, chunk_of(m), 0);
}

void Room::broadcast(const Message& m, const Client* skip, bool is_chat) {
  if (pending_lines_ > 0 && skip != pending_skip_) flush_broadcast();
  pending_skip_ = skip;
  pending_ += to_line(m);
  pending_lines_++;
  pending_chat_ += is_chat ? 1 : 0;
}

void Room::flush_broadcast() {
  // Removing a dropped client announces it (more lines); fanning those out may drop another.
  while (pending_lines_ > 0 || !leaving_.empty()) {
    if (pending_lines_ > 0) fan_out();
    for (Client* c : std::exchange(leaving_, {})) {
      if (c->joined()) remove_member(*c);
    }
  }
}

void Room::fan_out() {
  auto chunk = std::make_shared<const std::string>(std::move(pending_));
  pending_.clear();
  uint64_t chat = pending_chat_;
  const Client* skip = pending_skip_;
  pending_lines_ = pending_chat_ = 0;
  pending_skip_ = nullptr;
  for (const auto& [name, member] : by_name_) {
    if (member != skip) deliver(*member, chunk, chat);
  }
}

void Room::deliver(Client& to, const net::ServerConnection::Chunk& chunk, uint64_t chat_lines) {
  if (to.conn.closing()) return;
  if (to.conn.queued() + chunk->size() > opts_.max_queue) {
    return drop(to, code::slow_reader, "output queue full: the client does not read", "slow_reader");
  }
  if (to.conn.write(chunk)) stats_.deliveries_out += chat_lines;
}

// Last words, then close once they are out (the idle timeout bounds the wait). Output nobody has
// started to send is forgotten first, so the error does not wait behind it.
void Room::drop(Client& c, int code, const std::string& message, const std::string& reason) {
  if (c.conn.closing()) return;
  c.leave_reason = reason;
  c.abort_at = c.conn.loop().now() + kLinger;
  (void)c.conn.drop_queued();
  (void)c.conn.write(chunk_of(Error{code, message}));
  c.conn.close(reason);
  // Out of the room at the end of this callback: its name is free and the others hear it left,
  // whatever its socket does. Not now: a fan-out may be walking the room.
  if (c.joined()) leaving_.push_back(&c);
}

void Room::add_member(Client& c, std::string name) {
  c.name = std::move(name);
  c.in_room = true;
  by_name_.emplace(c.name, &c);
}

void Room::remove_member(Client& c) {
  c.in_room = false;
  by_name_.erase(c.name);
  if (!shutting_down_ && by_name_.size() < opts_.max_announce) {
    broadcast(UserLeft{c.name, c.conn.id()}, nullptr, false);
  }
}

}  // namespace nt::chat
