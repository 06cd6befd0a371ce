// Options of `chat-client` and the pure checks on them (no CLI11 here).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "output/sink.hpp"
#include "tls/cli_options.hpp"

namespace nt::chat {

struct ClientOptions {
  std::string target;                   // HOST:PORT, [V6]:PORT, unix:/PATH, @NAME
  std::string name;                     // empty: $USER
  std::vector<std::string> send;        // --send TEXT, in order, before stdin
  bool exit_after_ack = false;          // --exit: quit once the server acknowledged the --send messages
  bool stay = false;                    // --stay: keep running after stdin ends (scripted mode)
  std::optional<std::string> wait_for;  // --wait-for 'type=message,from=bob'
  double timeout_s = 10;                // connect, and the deadline of --exit and --wait-for
  bool reconnect = false;
  std::optional<int> max_attempts;  // --reconnect-attempts: connects tried in a row before giving up
  bool scripted = false;            // --script: scripted mode even on a terminal
  tls::TlsClientOptions tls;
};

enum class ClientMode { interactive, scripted };

// Interactive only when stdin and stdout are both terminals, the format is text and nothing asks for
// scripted behaviour (--script, --send with --exit, --wait-for).
ClientMode choose_mode(const ClientOptions& opts, bool stdin_tty, bool stdout_tty, output::Format format);

// Fills the name from $USER when --name is absent. UsageError when neither gives a valid name.
std::string effective_name(const ClientOptions& opts, const char* user_env);

// UsageError for a bad --timeout, --reconnect-attempts, --wait-for, name, TLS options, or --exit /
// --stay combinations that contradict each other.
void validate(const ClientOptions& opts);

inline constexpr std::size_t kMaxMessageBytes = 3072;  // a message's text: the server's line limit is 4 KiB

}  // namespace nt::chat
