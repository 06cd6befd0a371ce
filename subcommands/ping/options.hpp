// ping's options as typed (bound by CLI11 in setup) and as the session uses them (validated).
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "icmp/socket.hpp"
#include "net/address.hpp"

namespace CLI {
class App;
}

namespace nt::ping {

struct Options {
  std::vector<std::string> hosts;      // names, literals, CIDR blocks, "-" for stdin
  std::string file;                    // --file: one target per line
  std::optional<int64_t> count;        // -c; unset: until -w or Ctrl-C
  std::optional<double> interval;      // -i seconds; unset: 1 s, or 10 ms fallback with -f
  double timeout = 1.0;                // -W seconds per probe
  std::optional<double> deadline;      // -w seconds; unset: none
  int64_t size = 56;                   // -s payload bytes
  std::optional<int> ttl;              // -t
  std::string pattern;                 // -p hex bytes
  std::string interface;               // -I name or source address
  std::string tos;                     // -Q decimal or 0xhex
  bool timestamps = false;             // -D
  bool flood = false;                  // -f
  std::string socket = "auto";         // --socket
  std::optional<int64_t> min_replies;  // --min-replies; unset: 1 (with -c and -w: COUNT)
};

// Binds every ping option on the subcommand's App.
void bind_options(CLI::App& app, Options& opts);

using Duration = std::chrono::nanoseconds;

struct Settings {
  uint64_t count = 0;  // 0: unlimited
  Duration interval{};
  Duration timeout{};
  std::optional<Duration> deadline;
  std::vector<std::byte> payload;  // -s bytes filled with -p (or 0,1,2… as iputils)
  icmp::SocketSetup socket_setup;
  icmp::SocketMode socket_mode = icmp::SocketMode::automatic;
  uint64_t required_replies = 1;  // per host, for exit 0
  bool timestamps = false;
  bool flood = false;
  int family = 0;  // AF_UNSPEC, or AF_INET/AF_INET6 from -4/-6
};

// Throws UsageError naming the option and the problem.
Settings validate(const Options& opts, int family);

// -p: up to 16 bytes as hex digits ("ff00", "deadbeef"); throws UsageError.
std::vector<std::byte> parse_pattern(std::string_view hex);
// The payload: `size` bytes repeating `pattern`, or i & 0xff at offset i when the pattern is empty.
std::vector<std::byte> make_payload(std::size_t size, const std::vector<std::byte>& pattern);
// -Q: 0..255, decimal or 0x-prefixed hex; throws UsageError.
int parse_tos(std::string_view text);
// -I: an interface name (must exist) or a local address; fills device or source.
void parse_interface(std::string_view text, icmp::SocketSetup& setup);

}  // namespace nt::ping
