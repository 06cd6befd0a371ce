#include "subcommands/sockopt/options.hpp"

#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>

#include "sys/error.hpp"

namespace nt::sockopt {

namespace {
struct NamedKind {
  std::string_view name;
  SocketKind kind;
};
// raw/raw6: ICMP, the raw protocol every host has (IPPROTO_RAW sockets cannot receive).
constexpr std::array kKinds = {
    NamedKind{"tcp", {AF_INET, SOCK_STREAM, 0}},
    NamedKind{"tcp6", {AF_INET6, SOCK_STREAM, 0}},
    NamedKind{"udp", {AF_INET, SOCK_DGRAM, 0}},
    NamedKind{"udp6", {AF_INET6, SOCK_DGRAM, 0}},
    NamedKind{"unix-stream", {AF_UNIX, SOCK_STREAM, 0}},
    NamedKind{"unix-dgram", {AF_UNIX, SOCK_DGRAM, 0}},
    NamedKind{"unix-seqpacket", {AF_UNIX, SOCK_SEQPACKET, 0}},
    NamedKind{"raw", {AF_INET, SOCK_RAW, IPPROTO_ICMP}},
    NamedKind{"raw6", {AF_INET6, SOCK_RAW, IPPROTO_ICMPV6}},
};
}  // namespace

std::string kind_names() {
  std::string names;
  for (const auto& k : kKinds) names += (names.empty() ? "" : ", ") + std::string(k.name);
  return names;
}

std::string kind_choices() {
  std::string names;
  for (const auto& k : kKinds) names += (names.empty() ? "" : "|") + std::string(k.name);
  return names;
}

SocketKind parse_kind(std::string_view name) {
  for (const auto& k : kKinds)
    if (k.name == name) return k.kind;
  throw UsageError(fmt::format("invalid --new '{}': expected one of {}", name, kind_names()));
}

SetRequest parse_set(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0)
    throw UsageError(fmt::format("invalid --set '{}': expected NAME=VALUE (e.g. SO_RCVBUF=65536)", text));
  const std::string_view name = text.substr(0, eq);
  const net::SocketOption* o = net::find_socket_option(name);
  if (!o) throw UsageError(fmt::format("invalid --set '{}': no socket option named '{}'", text, name));
  return {o, std::string(text.substr(eq + 1))};
}

Source validate(const Options& o) {
  const int given =
      !o.new_kind.empty() + (o.fd && !o.pid) + o.pid.has_value() + !o.connect.empty() + !o.listen.empty();
  if (given != 1)
    throw UsageError(given == 0 ? "sockopt inspect needs a socket: --new KIND, --fd N, --pid PID, "
                                  "--connect HOST:PORT or --listen ADDR:PORT"
                                : "sockopt inspect takes one of --new, --fd, --pid, --connect, --listen");
  if (o.fd && *o.fd < 0)
    throw UsageError(fmt::format("invalid --fd {}: expected a descriptor number", *o.fd));
  if (o.accept && o.listen.empty()) throw UsageError("--accept goes with --listen");
  Source s = Source::fresh;
  if (o.pid)
    s = Source::process;
  else if (o.fd)
    s = Source::inherited;
  else if (!o.connect.empty())
    s = Source::connected;
  else if (!o.listen.empty())
    s = Source::listening;
  if (!o.sets.empty() && (s == Source::process || s == Source::inherited))
    throw UsageError(
        "--set changes only sockets nettool creates (--new, --connect, --listen), not --fd/--pid");
  return s;
}

}  // namespace nt::sockopt
