#include "net/socket_calls.hpp"

#include <fmt/format.h>

#include <cstring>
#include <system_error>

#include "sys/error.hpp"

namespace nt::net {

namespace {
// What the kernel wants before it allows the call, for the errors that mean "not allowed".
std::string_view privilege_hint(std::string_view call, const SocketAddress& addr, int err) {
  if (err != EACCES && err != EPERM) return {};
  // Ports below net.ipv4.ip_unprivileged_port_start (1024 by default) need the capability.
  if (call == "bind" && addr.is_inet() && addr.port() != 0 && addr.port() < 1024)
    return "CAP_NET_BIND_SERVICE";
  if (call == "socket(SOCK_RAW)") return "CAP_NET_RAW";
  return {};
}
}  // namespace

std::string describe_call_error(std::string_view call, const SocketAddress& addr, int err) {
  std::string text = addr.size() ? fmt::format("{} {}: {}", call, addr, std::strerror(err))
                                 : fmt::format("{}: {}", call, std::strerror(err));
  if (auto hint = privilege_hint(call, addr, err); !hint.empty()) text += fmt::format(" — needs {}", hint);
  return text;
}

void throw_call_error(std::string_view call, const SocketAddress& addr, int err) {
  if (!privilege_hint(call, addr, err).empty()) throw PrivilegeError(describe_call_error(call, addr, err));
  const std::string context = addr.size() ? fmt::format("{} {}", call, addr) : std::string(call);
  throw std::system_error(err, std::generic_category(), context);
}

void throw_option_error(std::string_view verb, const SocketOption& o, int err) {
  throw std::system_error(err, std::generic_category(), fmt::format("{} {}", verb, o.name));
}

UniqueFd open_socket(int family, int type, int protocol, bool nonblocking) {
  const int fd = ::socket(family, type | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0), protocol);
  if (fd < 0) {
    SocketAddress none;
    throw_call_error(type == SOCK_RAW ? "socket(SOCK_RAW)" : "socket", none, errno);
  }
  return UniqueFd(fd);
}

void bind_or_throw(SocketHandle s, const SocketAddress& addr) {
  if (const int rc = s.bind(addr); rc != 0) throw_call_error("bind", addr, -rc);
}

void connect_or_throw(SocketHandle s, const SocketAddress& addr, std::chrono::milliseconds timeout) {
  if (const int rc = s.connect(addr, timeout); rc != 0) throw_call_error("connect", addr, -rc);
}

void set_option_or_throw(SocketHandle s, const SocketOption& o, int value) {
  if (const int rc = s.set_int(o, value); rc != 0) throw_option_error("setsockopt", o, -rc);
}

int get_option_or_throw(SocketHandle s, const SocketOption& o) {
  int value = 0;
  if (const int rc = s.get_int(o, value); rc != 0) throw_option_error("getsockopt", o, -rc);
  return value;
}

}  // namespace nt::net
