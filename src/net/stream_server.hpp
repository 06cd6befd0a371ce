// The stream server every connection-oriented subcommand runs on (tcp-echo, chat-server): listeners
// (one per loop with SO_REUSEPORT; a unix listener shared with EPOLLEXCLUSIVE), accept in bursts,
// total and per-IP limits, EMFILE handled without spinning, idle timers, bounded output queues with
// backpressure, a stream factory (plain or TLS: the handshake completes before the handler sees the
// connection), one event loop per thread, and a graceful shutdown. The protocol is a StreamHandler.
//
// Rules a peer meets (documented for the man pages):
// - While a connection has output queued, the server does not read from it; past max_queued bytes
//   queued it is closed ("slow_reader").
// - Idle timeout counts progress only: reading input and emptying the output queue. A connection
//   whose output stays queued for a whole timeout is closed even if the peer trickles a byte at a
//   time in either direction ("idle_timeout").
// - Out of descriptors (EMFILE/ENFILE), one process-wide spare descriptor is given up to accept and
//   close the waiting client ("fd_limit"); if another loop took the slot meanwhile, the listener
//   pauses for kPauseOnExhaustion instead of spinning.
#pragma once
#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "event/loop.hpp"
#include "net/address.hpp"
#include "net/fd.hpp"
#include "net/stream.hpp"
#include "net/stream_handler.hpp"

namespace nt::net {

struct StreamServerConfig {
  int threads = 1;
  std::size_t max_clients = 10000;
  std::size_t max_per_ip = 0;                                    // 0: no per-address limit
  event::Duration idle_timeout{};                                // 0: never
  event::Duration handshake_timeout = std::chrono::seconds(10);  // for a handshake that would block
  std::size_t max_queued = 4u << 20;  // output bytes one connection may have waiting
  bool no_delay = true;               // TCP_NODELAY on accepted TCP connections
  bool v6_only = false;
  bool stop_when_output_gone = false;  // end run() when stdout's reader goes away (event/output_watch)
  StreamFactory stream_factory = plain_stream;
};

// State every loop of one server shares: touched on accept and close only, never per byte.
struct ServerShared {
  explicit ServerShared(const StreamServerConfig& c) : config(c) {}
  const StreamServerConfig& config;
  std::atomic<uint64_t> next_conn_id{1};
  std::atomic<std::size_t> active{0};
  std::atomic<std::size_t> peak{0};
  std::atomic<uint64_t> refused{0};
  std::mutex per_ip_mu;
  std::unordered_map<std::string, std::size_t> per_ip;  // only with max_per_ip
  std::mutex spare_mu;  // one spare descriptor per process: loops must not race for the freed slot
  UniqueFd spare;
};

struct ServerTotals {
  uint64_t connections = 0;  // accepted and opened
  uint64_t refused = 0;
  uint64_t idle_timeouts = 0;
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  std::size_t peak_concurrent = 0;
};

class StreamServer {
 public:
  using HandlerFactory = std::function<std::unique_ptr<StreamHandler>(std::size_t loop_index)>;

  // Opens the listeners (throws RuntimeError "listening on ADDR"); nothing is accepted until run().
  StreamServer(const SocketAddress& addr, StreamServerConfig config, const HandlerFactory& make_handler);
  // Serves a socket that is already listening (inherited: --listen-fd, systemd's LISTEN_FDS); made
  // non-blocking, shared by every loop (EPOLLEXCLUSIVE) and never unlinked.
  StreamServer(UniqueFd listener, StreamServerConfig config, const HandlerFactory& make_handler);
  ~StreamServer();
  StreamServer(const StreamServer&) = delete;
  StreamServer& operator=(const StreamServer&) = delete;

  SocketAddress local_address() const;  // the kernel's port when bound to port 0
  // Loop `index` (0 … threads-1), for a handler's own timers (heartbeats, periodic reports).
  event::EventLoop& loop(std::size_t index = 0);

  // Runs every loop until SIGINT/SIGTERM or stop(); then gives each connection to on_shutdown and
  // closes it ("shutdown"). Returns the signal that ended it, or 0.
  int run();
  void stop() noexcept;

  ServerTotals totals() const;

 private:
  void start_loops(const HandlerFactory& make_handler);

  StreamServerConfig config_;
  std::vector<UniqueFd> listeners_;
  std::unique_ptr<ServerShared> shared_;
  std::vector<std::unique_ptr<StreamHandler>> handlers_;
  std::vector<std::unique_ptr<ServerLoop>> loops_;
  std::string unix_path_;  // a unix socket file to remove at the end
};

}  // namespace nt::net
