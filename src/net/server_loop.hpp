// One event loop of the stream server (internal to stream_server.cpp): accepts on its listener and
// drives every connection it owns through its handler.
#pragma once
#include <chrono>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "event/loop.hpp"
#include "net/broadcast_pipe.hpp"
#include "net/stream_server.hpp"

namespace nt::net {

// "reset" for a peer that went away (ECONNRESET, EPIPE, ETIMEDOUT), else "error".
std::string reason_of(int err);

class ServerLoop {
 public:
  // `listener` is non-owning: a unix listener is shared by every loop (EPOLLEXCLUSIVE wakes one).
  ServerLoop(ServerShared& shared, StreamHandler& handler, int listener, bool watch_signals,
             bool exclusive_accept);
  ~ServerLoop();
  ServerLoop(const ServerLoop&) = delete;
  ServerLoop& operator=(const ServerLoop&) = delete;

  event::EventLoop& loop() noexcept { return loop_; }
  // After the loop stopped: on_shutdown for each connection, a last flush, then close ("shutdown").
  void shutdown_all();
  const ServerTotals& totals() const noexcept { return totals_; }

  // Bytes one read takes (one buffer per loop, shared by its connections).
  static constexpr std::size_t kReadChunk = 128 * 1024;
  static constexpr std::chrono::milliseconds kPauseOnExhaustion{100};

 private:
  friend class ServerConnection;
  using Conn = ServerConnection;

  // accept side (server_accept.cpp)
  void on_listener_ready();
  bool shed_on_fd_exhaustion();
  void pause_listener();
  bool admit(const std::string& ip_key, const char** reason);
  void release_slot(const std::string& ip_key);
  void refuse(UniqueFd fd, const SocketAddress& peer, const char* reason);
  void accept_one(UniqueFd fd, const SocketAddress& peer);

  // connection side (server_loop.cpp)
  void on_io(Conn& c);
  void continue_handshake(Conn& c);
  void open(Conn& c);
  void read_some(Conn& c);
  void flush(Conn& c);
  // output queue (server_output.cpp)
  bool send_or_queue(Conn& c, std::span<const std::byte> data, const ServerConnection::Chunk* shared);
  std::optional<IoResult> splice_shared(Conn& c, const ServerConnection::Chunk* shared);
  void enqueue(Conn& c, std::span<const std::byte> rest, bool partly_sent,
               const ServerConnection::Chunk* shared);
  void consume(Conn& c, std::size_t bytes);
  void clear_queue(Conn& c);
  void update_interest(Conn& c);
  void on_idle_timer(Conn& c);
  void doom(Conn& c, std::string_view reason);
  void reap();
  void finish(Conn& c);
  void schedule_reap();

  ServerShared& shared_;
  StreamHandler& handler_;
  event::EventLoop loop_;
  int listener_;
  bool listener_paused_ = false;
  std::unordered_map<Conn*, std::unique_ptr<Conn>> conns_;
  std::vector<Conn*> doomed_;
  int depth_ = 0;  // > 0 inside one of our callbacks: reaping happens when it returns
  bool reap_scheduled_ = false;
  std::vector<std::byte> scratch_;
  BroadcastPipe broadcast_pipe_;  // opened by the first large shared chunk (chat fan-out)
  ServerTotals totals_;
};

}  // namespace nt::net
