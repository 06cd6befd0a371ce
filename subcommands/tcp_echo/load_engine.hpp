// The load generator behind --bench and --bulk: C connections on one event loop, each keeping K
// messages in flight (--bench) or streaming a fixed number of bytes (--bulk). Every echoed byte is
// checked against the Pattern stream at its offset; latency goes into the fixed-memory
// output::LatencySummary.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "event/loop.hpp"
#include "net/stream.hpp"
#include "output/latency.hpp"
#include "output/sink.hpp"
#include "subcommands/tcp_echo/pattern.hpp"

namespace nt::tcp_echo {

struct LoadConfig {
  std::size_t size = 64;  // message size (--bench), send chunk (--bulk)
  int pipeline = 1;
  event::Duration duration{};  // --bench: how long to run
  uint64_t bulk_bytes = 0;     // > 0: bulk mode, each connection streams this many bytes
};

struct LoadResult {
  uint64_t round_trips = 0;
  uint64_t bytes = 0;  // echoed and verified payload bytes
  uint64_t errors = 0;
  uint64_t mismatches = 0;
  double duration_s = 0;
  bool interrupted = false;
  output::LatencySummary rtt;
  std::string first_failure;  // "connection 3: echo mismatch at offset 1234"
};

class LoadEngine {
 public:
  LoadEngine(const LoadConfig& cfg, output::Output& out);
  ~LoadEngine();
  LoadEngine(const LoadEngine&) = delete;
  LoadEngine& operator=(const LoadEngine&) = delete;

  // A connected stream (handshake done) on a non-blocking socket.
  void add_connection(std::unique_ptr<net::Stream> stream);
  // Runs until --duration passed, every bulk stream completed, all connections failed, or SIGINT/SIGTERM.
  LoadResult run();

 private:
  struct Conn;
  bool bulk() const noexcept { return cfg_.bulk_bytes > 0; }
  void on_io(Conn& c, uint32_t events);
  void pump_send(Conn& c);
  uint64_t send_target(const Conn& c) const noexcept;
  void receive(Conn& c);
  void take_echo(Conn& c, std::span<const std::byte> got);
  void account_messages(Conn& c);
  void fail(Conn& c, bool mismatch, const std::string& why);
  void retire(Conn& c);
  void update_interest(Conn& c);
  void on_tick();

  LoadConfig cfg_;
  output::Output& out_;
  event::EventLoop loop_;
  Pattern pattern_;
  std::vector<std::unique_ptr<Conn>> conns_;
  std::vector<std::byte> scratch_;
  std::size_t live_ = 0;
  LoadResult result_;
  output::LatencySummary tick_rtt_;
  uint64_t tick_round_trips_ = 0;
  uint64_t tick_bytes_ = 0;
  event::TimePoint started_{};
  event::TimePoint last_tick_{};
};

}  // namespace nt::tcp_echo
