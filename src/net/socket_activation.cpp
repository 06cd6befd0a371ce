#include "net/socket_activation.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <cstring>

#include "net/socket_handle.hpp"
#include "sys/error.hpp"

namespace nt::net {

namespace {
template <typename T>
std::optional<T> parse_decimal(std::string_view text) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}
}  // namespace

std::optional<std::size_t> parse_listen_env(const char* listen_pid, const char* listen_fds, pid_t self) {
  if (listen_pid == nullptr || listen_fds == nullptr) return std::nullopt;
  const auto pid = parse_decimal<pid_t>(listen_pid);
  if (!pid || *pid <= 0)
    throw UsageError(fmt::format("invalid LISTEN_PID '{}': not a process id", listen_pid));
  if (*pid != self) return std::nullopt;
  const auto count = parse_decimal<std::size_t>(listen_fds);
  if (!count || *count > kMaxListenFds)
    throw UsageError(
        fmt::format("invalid LISTEN_FDS '{}': expected a count from 0 to {}", listen_fds, kMaxListenFds));
  return count;
}

std::vector<std::string> parse_fd_names(const char* listen_fdnames, std::size_t count) {
  std::vector<std::string> names;
  std::string_view rest = listen_fdnames ? listen_fdnames : "";
  while (names.size() < count && listen_fdnames != nullptr) {
    const auto colon = rest.find(':');
    names.emplace_back(rest.substr(0, colon));
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  names.resize(count, "unknown");
  return names;
}

bool valid_fd_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > 255) return false;
  for (char c : name)
    if (c == ':' || c < 0x21 || c > 0x7e) return false;
  return true;
}

std::string join_fd_names(std::span<const std::string> names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += ':';
    out += names[i];
  }
  return out;
}

namespace {
void check_socket(int fd, std::string_view what) {
  struct stat st {};
  if (::fstat(fd, &st) != 0)
    throw UsageError(fmt::format("invalid {} {}: descriptor {} is not open", what, fd, fd));
  if (!S_ISSOCK(st.st_mode)) throw UsageError(fmt::format("invalid {} {}: not a socket", what, fd));
}
}  // namespace

ListenFds take_listen_fds() {
  const auto count = parse_listen_env(std::getenv("LISTEN_PID"), std::getenv("LISTEN_FDS"), ::getpid());
  ListenFds out;
  if (count) {
    out.names = parse_fd_names(std::getenv("LISTEN_FDNAMES"), *count);
    for (std::size_t i = 0; i < *count; ++i) {
      const int fd = kListenFdsStart + static_cast<int>(i);
      check_socket(fd, "LISTEN_FDS descriptor");
      (void)::fcntl(fd, F_SETFD, FD_CLOEXEC);  // an open descriptor: F_SETFD cannot fail
      out.fds.push_back(fd);
    }
  }
  for (const char* name : {"LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"}) ::unsetenv(name);
  return out;
}

void check_listening_socket(int fd, std::string_view what) {
  if (fd < 0) throw UsageError(fmt::format("invalid {} {}: not a descriptor number", what, fd));
  check_socket(fd, what);
  SocketHandle s(fd);
  int listening = 0, type = 0;
  if (s.get_int(sockopt("SO_ACCEPTCONN"), listening) != 0 || !listening)
    throw UsageError(fmt::format("invalid {} {}: the socket is not listening", what, fd));
  if (s.get_int(sockopt("SO_TYPE"), type) != 0 || type != SOCK_STREAM)
    throw UsageError(fmt::format("invalid {} {}: not a stream socket", what, fd));
}

int inherited_listener(std::optional<int> listen_fd, bool listen_given, std::string_view server) {
  if (listen_fd) {
    check_listening_socket(*listen_fd, "--listen-fd");
    return *listen_fd;
  }
  if (listen_given) return -1;
  ListenFds activated = take_listen_fds();
  if (activated.fds.empty()) return -1;
  if (activated.fds.size() > 1)
    throw UsageError(
        fmt::format("invalid LISTEN_FDS {}: {} serves one listening socket", activated.fds.size(), server));
  check_listening_socket(activated.fds[0], "LISTEN_FDS descriptor");
  return activated.fds[0];
}

}  // namespace nt::net
