// The records chat-server emits (man page section OUTPUT): small structs, each with to_record().
// Per-client records are events: the json document keeps only the first ones (bounded memory).
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "output/record.hpp"

namespace nt::chat {

struct ListeningEvent {
  std::string address;
  std::size_t max_clients = 0;
  std::size_t max_line = 0;
  double rate = 0;
  double idle_timeout_s = 0;
  bool tls = false;
  output::Record to_record() const;
};

struct JoinedEvent {
  uint64_t id = 0;
  std::string name;
  std::string peer;
  std::size_t members = 0;  // in the room now, this client included
  output::Record to_record() const;
};

// Every connection that was opened ends with one `left` (joined or not).
struct LeftEvent {
  uint64_t id = 0;
  std::optional<std::string> name;  // absent when it never joined
  std::string peer;
  std::string reason;  // quit, eof, reset, idle, slow_reader, limit, protocol_error, shutdown
  uint64_t messages_in = 0;
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  double duration_s = 0;
  output::Record to_record() const;
};

struct NickEvent {
  uint64_t id = 0;
  std::string old_name;
  std::string name;
  output::Record to_record() const;
};

struct RefusedEvent {
  std::string peer;
  std::string reason;  // max_clients, max_per_ip, fd_limit
  std::size_t active = 0;
  output::Record to_record() const;
};

struct ChatStats {
  std::size_t clients = 0;  // connections now (summary: at the end)
  std::size_t members = 0;  // joined now
  std::size_t peak = 0;     // most connections at once
  uint64_t connections = 0;
  uint64_t refused = 0;
  uint64_t messages_in = 0;      // chat messages accepted (broadcast and private)
  uint64_t deliveries_out = 0;   // message lines handed to recipients
  uint64_t dropped_clients = 0;  // closed by the server: idle, slow_reader, limit, protocol_error
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  double duration_s = 0;
  std::string signal;  // summary only: SIGINT or SIGTERM
  // `stats` (periodic, an event) or `summary` (the final one, with schema_version).
  output::Record to_record(bool final) const;
};

}  // namespace nt::chat
