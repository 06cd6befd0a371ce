// Options of `nettool sockopt inspect`, as bound by setup() and checked by validate() (never by
// CLI11 callbacks), and the small parsers behind them.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/sockopt.hpp"

namespace nt::sockopt {

struct Options {
  std::string new_kind;           // --new tcp|tcp6|udp|udp6|unix-stream|unix-dgram|unix-seqpacket|raw|raw6
  std::optional<int> fd;          // --fd N: ours (inherited), or with --pid the process's
  std::optional<int> pid;         // --pid PID
  std::string connect;            // --connect HOST:PORT
  std::string listen;             // --listen ADDR:PORT
  bool accept = false;            // --accept: with --listen, also inspect the first connection accepted
  std::vector<std::string> sets;  // --set NAME=VALUE, in order
  double timeout_s = 5;           // --connect / --accept
};

enum class Source { fresh, inherited, process, connected, listening };

// Which source the options name; UsageError when none or more than one is given, or when --set or
// --accept come with a source they do not apply to.
Source validate(const Options& o);

// What --new creates.
struct SocketKind {
  int family;
  int type;
  int protocol;
};
// "tcp" → {AF_INET, SOCK_STREAM, 0}, "raw6" → {AF_INET6, SOCK_RAW, IPPROTO_ICMPV6}, …; UsageError
// naming the value and the kinds otherwise.
SocketKind parse_kind(std::string_view name);
// The kinds, for --help and completions: "tcp, tcp6, udp, …".
std::string kind_names();
// The same as "tcp|tcp6|…", the option's value label (completions offer the words).
std::string kind_choices();

struct SetRequest {
  const net::SocketOption* option;
  std::string value;  // the text after '='
};
// "SO_RCVBUF=65536", "rcvbuf_bytes=65536", "tcp_congestion=reno": option by header name (any case)
// or JSON key; UsageError naming the text when it has no '=' or names no option.
SetRequest parse_set(std::string_view text);

}  // namespace nt::sockopt
