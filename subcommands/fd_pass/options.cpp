#include "subcommands/fd_pass/options.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "net/endpoint.hpp"
#include "net/socket_activation.hpp"
#include "sys/error.hpp"

namespace nt::fd_pass {

FdSpec parse_fd_spec(std::string_view text) {
  const auto colon = text.find(':');
  const std::string_view number = text.substr(0, colon);
  FdSpec spec;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), spec.fd);
  if (number.empty() || ec != std::errc() || end != number.data() + number.size() || spec.fd < 0)
    throw UsageError(fmt::format("invalid --fd '{}': expected a descriptor number N or N:NAME", text));
  spec.name =
      colon == std::string_view::npos ? fmt::format("fd{}", spec.fd) : std::string(text.substr(colon + 1));
  if (!net::valid_fd_name(spec.name))
    throw UsageError(
        fmt::format("invalid --fd '{}': a name is 1-255 printable characters without ':' or spaces", text));
  return spec;
}

net::SocketAddress parse_socket_address(std::string_view text) {
  if (text.empty()) throw UsageError("invalid --socket '': expected PATH, unix:PATH or @NAME");
  if (text.starts_with('@') || text.starts_with("unix:")) {
    const net::Endpoint ep = net::parse_endpoint(text);
    if (ep.kind == net::Endpoint::Kind::abstract) return net::SocketAddress::abstract(ep.host);
    return net::SocketAddress::unix_path(ep.host);
  }
  return net::SocketAddress::unix_path(text);
}

void check_timeout(std::string_view option, double seconds) {
  if (!std::isfinite(seconds) || seconds < 0 || seconds > 86400)
    throw UsageError(
        fmt::format("invalid {} '{}': expected seconds from 0 (forever) to 86400", option, seconds));
}

void validate(const SendOptions& o) {
  (void)parse_socket_address(o.socket);
  check_timeout("--timeout", o.timeout_s);
  const std::size_t total = o.fds.size() + o.opens.size() + o.tcp_listens.size();
  if (total == 0) throw UsageError("nothing to send: give --fd N, --open PATH or --tcp-listen ADDR:PORT");
  if (total > kMaxDescriptors)
    throw UsageError(fmt::format("too many descriptors: {} (at most {})", total, kMaxDescriptors));
  for (const auto& f : o.fds) (void)parse_fd_spec(f);
}

void validate(const RecvOptions& o) {
  (void)parse_socket_address(o.socket);
  check_timeout("--timeout", o.timeout_s);
  if (o.max_fds < 1 || o.max_fds > kMaxDescriptors)
    throw UsageError(fmt::format("invalid --max-fds '{}': expected 1 to {}", o.max_fds, kMaxDescriptors));
  if (o.allow_uid && (*o.allow_uid < 0 || *o.allow_uid > 4294967294LL))
    throw UsageError(fmt::format("invalid --allow-uid '{}': expected a user id", *o.allow_uid));
  if (o.exec && o.command.empty()) throw UsageError("invalid --exec: no command given after it");
  if (!o.exec && !o.command.empty())
    throw UsageError(
        fmt::format("unexpected argument '{}' (a command to run goes after --exec)", o.command[0]));
}

}  // namespace nt::fd_pass
