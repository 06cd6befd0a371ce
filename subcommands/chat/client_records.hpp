// What chat-client reports: one record per server event (its protocol type, `time`, and the protocol
// fields, flat whatever form the server used), and the client's own connected / disconnected /
// reconnecting / summary records. Text forms escape everything that came from the network.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "output/record.hpp"
#include "subcommands/chat/protocol.hpp"

namespace nt::chat {

// Text-mode styling: colour per sender (a fixed palette indexed by a hash of the name).
struct TextStyle {
  bool color = false;
};

// The record of one message the server sent.
output::Record event_record(const Message& message, const TextStyle& style);
// A line the protocol does not know: an unknown type (its name kept), or not the protocol at all.
output::Record unknown_type_record(std::string_view type);
output::Record invalid_line_record(std::string_view problem, std::size_t bytes);
output::Record overlong_line_record(std::size_t max_line);

output::Record connected_record(const std::string& peer, const std::string& name);
output::Record disconnected_record(const std::string& peer, const std::string& reason);
output::Record reconnecting_record(int attempt, double delay_s, const std::string& target,
                                   const std::string& reason);

struct ClientSummary {
  std::string peer;
  uint64_t sent = 0;      // our messages (message lines, not join/list/pong)
  uint64_t received = 0;  // lines from the server that parsed
  int reconnects = 0;
  double duration_s = 0;
  output::Record to_record() const;
};

// The name wrapped in its colour (escaped for the terminal in any case).
std::string sender_text(std::string_view name, const TextStyle& style);

}  // namespace nt::chat
