// Options of `tcp-echo server` and `tcp-echo client`, and the pure checks on them (no CLI11 here).
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tls/cli_options.hpp"

namespace nt::tcp_echo {

using tls::TlsClientOptions;
using tls::TlsServerOptions;

inline constexpr uint16_t kDefaultPort = 7007;

struct ServerOptions {
  std::string listen;  // empty: [::]:7007 dual-stack (0.0.0.0:7007 without IPv6)
  // An inherited listening socket (fd-pass --exec, inetd-style wrappers); unset: LISTEN_FDS from
  // systemd-style socket activation when set for us, else --listen.
  std::optional<int> listen_fd;
  std::size_t max_clients = 10000;
  std::size_t max_per_ip = 0;   // 0: no per-address limit
  double idle_timeout_s = 300;  // 0: never (but then a silent client holds its slot forever)
  int threads = 1;
  TlsServerOptions tls;
};

enum class ClientMode { pipe, probe, load, bulk };

struct ClientOptions {
  std::string target;  // HOST:PORT, [v6]:PORT, unix:/path, @name
  bool force_stdin = false;
  // probe
  std::optional<int> count;
  std::string size;  // "64", "4K", "1M" (binary suffixes); empty: 64 (probe, load), 64K chunks (bulk)
  std::optional<double> interval_s;
  // load: unset unless given, so validate() can refuse them outside load mode
  bool bench = false;
  std::optional<int> connections;    // default kDefaultConnections
  std::optional<double> duration_s;  // default kDefaultDurationS
  std::optional<int> pipeline;       // default kDefaultPipeline
  // bulk
  std::string bulk;      // total bytes to stream, with the same suffixes as --size
  double timeout_s = 5;  // connect, and each probe's echo
  TlsClientOptions tls;
};

// Which client mode the options ask for; pipe when nothing else is asked and stdin is not a terminal,
// probe (5 round trips) when stdin is a terminal. Throws UsageError for contradictory modes.
ClientMode choose_mode(const ClientOptions& opts, bool stdin_is_tty);

// "4096", "4K", "4KiB", "1M", "2G" (binary multiples). Throws UsageError("invalid WHAT 'X': …").
std::size_t parse_size(std::string_view text, std::string_view what);

// Limits shared by setup's validators and run().
inline constexpr std::size_t kMaxMessageSize = 16u << 20;
inline constexpr int kMaxThreads = 256;
inline constexpr int kMaxConnections = 1'000'000;
inline constexpr int kMaxPipeline = 4096;

// Load mode's defaults (shown in --help; applied by run_load).
inline constexpr int kDefaultConnections = 1;
inline constexpr double kDefaultDurationS = 10;
inline constexpr int kDefaultPipeline = 1;

// Validation that needs more than one option at a time; throws UsageError, also for an option
// that the chosen mode would ignore (--connections without --bench, --size with --stdin).
void validate(const ServerOptions& opts);
void validate(const ClientOptions& opts, ClientMode mode);

}  // namespace nt::tcp_echo
