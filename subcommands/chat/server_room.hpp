// The chat room: the StreamHandler behind chat-server. One room per server, on one event loop
// (a broadcast reaches every client, so they all live on the loop that sends it).
//
// Fan-out: the lines one read produces for the room are serialised once into one shared chunk and
// queued by reference on every recipient (the stream server sends at once what each socket takes,
// in one write per recipient per read). A recipient whose queue passes --max-queue is dropped
// (error 507, reason slow_reader); it never holds anyone else up.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "event/loop.hpp"
#include "net/stream_handler.hpp"
#include "net/token_bucket.hpp"
#include "output/sink.hpp"
#include "subcommands/chat/line_splitter.hpp"
#include "subcommands/chat/protocol.hpp"
#include "subcommands/chat/records.hpp"
#include "subcommands/chat/server_options.hpp"
#include "tls/server_tls.hpp"

namespace nt::chat {

struct Client {
  Client(net::ServerConnection& c, const ServerOptions& o, event::TimePoint now)
      : conn(c), lines(o.max_line), rate(o.rate, o.burst), last_input(now) {
    rate.fill(now);
  }
  net::ServerConnection& conn;
  LineSplitter lines;
  net::TokenBucket rate;
  std::string name;       // empty until joined
  std::size_t index = 0;  // in Room::clients_
  event::TimePoint last_input;
  bool pinged = false;
  int bad_lines = 0;  // in a row
  int limited = 0;    // rate-limited lines in a row
  uint64_t messages_in = 0;
  std::string leave_reason;     // set when the room closes it
  event::TimePoint abort_at{};  // a dropped client whose last words do not drain is cut off then
  bool in_room = false;         // joined, and not dropped since
  bool joined() const noexcept { return in_room; }
};

class Room final : public net::StreamHandler {
 public:
  Room(const ServerOptions& opts, output::Output& out, const tls::ServerTls& tls);
  ~Room() override;

  void on_open(net::ServerConnection& c) override;
  void on_data(net::ServerConnection& c, std::span<const std::byte> data) override;
  void on_close(net::ServerConnection& c, std::string_view reason) override;
  void on_shutdown(net::ServerConnection& c) override;
  void on_refused(const net::SocketAddress& peer, std::string_view reason, std::size_t active) override;
  void on_handshake_failed(const net::SocketAddress& peer, std::string_view why) override;

  // Pings silent clients and drops idle ones; the server calls it every second.
  void sweep(event::TimePoint now);
  ChatStats stats() const;

  static constexpr int kMaxBadLines = 16;            // in a row, then protocol_error
  static constexpr std::chrono::seconds kLinger{2};  // for a dropped client's last words
  static constexpr int kMaxLimitedLines = 200;       // rate-limited in a row, then limit

 private:
  // server_commands.cpp
  void handle_line(Client& c, std::string_view line);
  void handle(Client& c, const Join& m);
  void handle(Client& c, const ChatMessage& m);
  void handle(Client& c, const Nick& m);
  void handle_list(Client& c);
  bool take_token(Client& c);
  void reject(Client& c, int code, std::string message, bool counts = true);

  // server_room.cpp
  void reply(Client& to, const Message& m);
  void broadcast(const Message& m, const Client* skip, bool is_chat);
  void flush_broadcast();
  void fan_out();
  void deliver(Client& to, const net::ServerConnection::Chunk& chunk, uint64_t lines);
  void drop(Client& c, int code, const std::string& message, const std::string& reason);
  void add_member(Client& c, std::string name);
  void remove_member(Client& c);
  std::string leave_reason(const Client& c, std::string_view core_reason) const;

  const ServerOptions& opts_;
  output::Output& out_;
  const tls::ServerTls& tls_;
  std::vector<std::unique_ptr<Client>> clients_;  // every open connection
  std::unordered_map<std::string, Client*> by_name_;
  std::string pending_;  // broadcast lines not yet handed out
  uint64_t pending_lines_ = 0;
  uint64_t pending_chat_ = 0;  // of which chat messages (counted as deliveries)
  const Client* pending_skip_ = nullptr;
  std::vector<Client*> leaving_;  // dropped while a fan-out walked the room: removed after it
  bool shutting_down_ = false;
  ChatStats stats_;
};

}  // namespace nt::chat
