// Options of `chat-server` and the pure checks on them (no CLI11 here).
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "tls/cli_options.hpp"

namespace nt::chat {

inline constexpr uint16_t kDefaultPort = 7008;

struct ServerOptions {
  std::string listen;            // empty: [::]:7008 dual-stack (0.0.0.0:7008 without IPv6)
  std::optional<int> listen_fd;  // an inherited listening socket (fd-pass --exec, socket activation)
  std::size_t max_clients = 10000;
  std::size_t max_per_ip = 0;         // 0: no per-address limit
  std::size_t max_line = 4096;        // bytes in one line, without its newline
  std::size_t max_queue = 256 << 10;  // output bytes waiting for one client before it is dropped
  double rate = 50;                   // messages per second per client (0: no limit)
  double burst = 100;                 // messages at once above the rate
  double heartbeat_s = 30;            // a client silent this long gets a ping (0: never)
  double idle_timeout_s = 90;         // a client silent this long is dropped (0: never)
  std::size_t max_announce = 256;     // joins/leaves are announced while the room is at most this big
  double stats_interval_s = 60;       // a periodic summary record (0: only the final one)
  tls::TlsServerOptions tls;
};

// Throws UsageError naming the option.
void validate(const ServerOptions& o);

}  // namespace nt::chat
