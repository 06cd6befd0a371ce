// The records tcp-echo emits (man page section OUTPUT): small structs, each with to_record().
#pragma once
#include <cstdint>
#include <string>

#include "output/latency.hpp"
#include "output/record.hpp"

namespace nt::tcp_echo {

struct ListeningEvent {
  std::string address;  // the real address: the kernel's port when asked for port 0
  int threads = 1;
  std::size_t max_clients = 0;
  std::size_t max_per_ip = 0;
  double idle_timeout_s = 0;
  output::Record to_record() const;
};

struct AcceptedEvent {
  uint64_t conn_id = 0;
  std::string peer;
  std::size_t active = 0;
  output::Record to_record() const;
};

struct ClosedEvent {
  uint64_t conn_id = 0;
  std::string peer;
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  double duration_s = 0;
  std::string reason;  // eof, idle_timeout, reset, error, shutdown
  output::Record to_record() const;
};

struct RefusedEvent {
  std::string peer;
  std::string reason;  // max_clients, max_per_ip, fd_limit
  std::size_t active = 0;
  output::Record to_record() const;
};

struct ServerSummary {
  uint64_t connections = 0;
  uint64_t refused = 0;
  uint64_t idle_timeouts = 0;
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  std::size_t peak_concurrent = 0;
  double duration_s = 0;
  std::string signal;  // SIGINT or SIGTERM
  output::Record to_record() const;
};

struct ConnectedEvent {
  std::string peer;
  double connect_ms = 0;  // all connections, opened one after another
  std::string mode;
  int connections = 1;
  output::Record to_record() const;
};

struct ReplyEvent {
  std::string peer;
  int seq = 0;
  std::size_t bytes = 0;
  double rtt_ms = 0;
  bool match = true;  // the echo equals what was sent
  output::Record to_record() const;
};

struct ProbeSummary {
  std::string peer;
  int sent = 0;
  int received = 0;
  int mismatches = 0;
  const output::LatencySummary* rtt = nullptr;
  output::Record to_record() const;
};

struct IntervalEvent {
  double elapsed_s = 0;
  double interval_s = 0;
  uint64_t round_trips = 0;                     // in this interval
  uint64_t bytes = 0;                           // echoed payload bytes in this interval
  uint64_t errors = 0;                          // connections lost so far
  const output::LatencySummary* rtt = nullptr;  // of this interval
  output::Record to_record() const;
};

struct LoadSummary {
  std::string peer;
  std::string mode;  // load or bulk
  int connections = 0;
  std::size_t size = 0;
  int pipeline = 0;
  double duration_s = 0;
  uint64_t round_trips = 0;
  uint64_t bytes = 0;
  uint64_t errors = 0;
  uint64_t mismatches = 0;
  const output::LatencySummary* rtt = nullptr;  // null in bulk mode
  output::Record to_record() const;
};

struct PipeSummary {
  std::string peer;
  uint64_t bytes_sent = 0;
  uint64_t bytes_verified = 0;
  double duration_s = 0;
  output::Record to_record() const;
};

// Megabytes (10^6 bytes) per second, as every *mb_per_s field.
double mb_per_s(uint64_t bytes, double seconds) noexcept;

}  // namespace nt::tcp_echo
