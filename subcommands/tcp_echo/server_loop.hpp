// One event loop of the echo server: accepts on its listener and echoes every connection it owns.
// Servers with --threads N run N of these, one per thread, each with its own SO_REUSEPORT listener;
// they share only ServerShared (client limits and counters), never a connection.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "event/loop.hpp"
#include "net/address.hpp"
#include "net/fd.hpp"
#include "output/sink.hpp"
#include "subcommands/tcp_echo/options.hpp"

namespace nt::tcp_echo {

// State every loop of one server shares. Touched on accept and close only, never per byte.
struct ServerShared {
  ServerShared(const ServerOptions& o, output::Output& out_) : opts(o), out(out_) {}
  const ServerOptions& opts;
  output::Output& out;
  std::atomic<uint64_t> next_conn_id{1};
  std::atomic<std::size_t> active{0};
  std::atomic<std::size_t> peak{0};
  std::atomic<uint64_t> refused{0};
  std::mutex per_ip_mu;
  std::unordered_map<std::string, std::size_t> per_ip;  // only when --max-per-ip is set
};

struct LoopTotals {
  uint64_t connections = 0;
  uint64_t idle_timeouts = 0;
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
};

class ServerLoop {
 public:
  // `listener` is non-owning: a unix listener is shared by every loop (EPOLLEXCLUSIVE wakes one).
  ServerLoop(ServerShared& shared, int listener, bool watch_signals, bool exclusive_accept);
  ~ServerLoop();
  ServerLoop(const ServerLoop&) = delete;
  ServerLoop& operator=(const ServerLoop&) = delete;

  event::EventLoop& loop() noexcept { return loop_; }
  // Closes every connection still open (reason "shutdown"); call after the loop stopped.
  void close_all();
  const LoopTotals& totals() const noexcept { return totals_; }

  // Bytes one read takes: also the most a connection can have waiting for its peer to read.
  static constexpr std::size_t kReadChunk = 128 * 1024;

 private:
  struct Conn;
  void on_listener_ready();
  void accept_one(net::UniqueFd fd, const net::SocketAddress& peer);
  void refuse(net::UniqueFd fd, const net::SocketAddress& peer, const char* reason);
  bool admit(const std::string& ip_key, const char** reason);
  void release_slot(const std::string& ip_key);
  void on_io(Conn& c, uint32_t events);
  void echo_some(Conn& c);
  bool flush(Conn& c);
  void want_write(Conn& c, bool on);
  void on_idle_timer(Conn& c);
  void close_conn(Conn& c, const char* reason);
  void shed_on_fd_exhaustion(int listener);

  ServerShared& shared_;
  event::EventLoop loop_;
  int listener_;
  event::Duration idle_timeout_{};
  net::UniqueFd spare_fd_;  // given up when accept hits EMFILE, so the extra client can be told no
  std::unordered_map<Conn*, std::unique_ptr<Conn>> conns_;
  std::vector<std::byte> scratch_;
  LoopTotals totals_;
};

}  // namespace nt::tcp_echo
