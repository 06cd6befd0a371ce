#include "net/socket.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "net/io.hpp"
#include "net/unix_socket_file.hpp"
#include "sys/error.hpp"

namespace nt::net {

UniqueFd make_socket(int family, int type, int protocol, bool nonblocking) {
  int fd = ::socket(family, type | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0), protocol);
  if (fd < 0) throw_errno("socket");
  return UniqueFd(fd);
}

void set_nonblocking(int fd, bool on) {
  int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0) throw_errno("fcntl(F_GETFL)");
  flags = on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
  if (::fcntl(fd, F_SETFL, flags) < 0) throw_errno("fcntl(F_SETFL)");
}

void set_int_option(int fd, int level, int name, int value, const char* what) {
  if (::setsockopt(fd, level, name, &value, sizeof value) != 0)
    throw_errno(fmt::format("setsockopt({})", what));
}

int get_int_option(int fd, int level, int name) {
  int value = 0;
  socklen_t len = sizeof value;
  if (::getsockopt(fd, level, name, &value, &len) != 0) throw_errno("getsockopt");
  return value;
}

bool ipv6_available() noexcept {
  UniqueFd probe(::socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  return probe.valid();
}

SocketAddress wildcard_address(int family, uint16_t port) {
  bool v4 = family == AF_INET || (family == AF_UNSPEC && !ipv6_available());
  return SocketAddress::any(v4 ? AF_INET : AF_INET6, port);
}

bool is_socket_file(const std::string& path) noexcept {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

bool unlink_socket_file(const std::string& path) noexcept {
  return is_socket_file(path) && ::unlink(path.c_str()) == 0;
}

namespace {
// A unix socket file left by a dead server makes bind fail with EADDRINUSE; remove it only if
// nobody answers on it (connect gets ECONNREFUSED), so a live server is never hijacked. Linux also
// says ECONNREFUSED for a path that is not a socket at all, so lstat(2) decides first: a regular
// file (or a symlink, a directory…) is never deleted but refused, naming the path.
void remove_stale_unix_socket(const SocketAddress& addr) {
  if (!addr.is_unix() || addr.is_abstract()) return;
  struct stat st {};
  if (::lstat(addr.host().c_str(), &st) != 0) return;  // nothing there: bind creates it
  if (!S_ISSOCK(st.st_mode)) throw UsageError(fmt::format("'{}' exists and is not a socket", addr.host()));
  UniqueFd probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (probe && ::connect(probe.get(), addr.get(), addr.size()) != 0 && errno == ECONNREFUSED) {
    (void)unlink_socket_file(addr.host());
  }
}

void bind_and_listen(int fd, const SocketAddress& addr, const ListenOptions& opts) {
  if (addr.is_inet()) {
    set_int_option(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
    if (opts.reuse_port) set_int_option(fd, SOL_SOCKET, SO_REUSEPORT, 1, "SO_REUSEPORT");
    if (addr.family() == AF_INET6) set_int_option(fd, IPPROTO_IPV6, IPV6_V6ONLY, opts.v6_only, "IPV6_V6ONLY");
  }
  remove_stale_unix_socket(addr);
  if (::bind(fd, addr.get(), addr.size()) != 0) throw_errno("bind");
  if (opts.socktype == SOCK_STREAM && ::listen(fd, opts.backlog) != 0) throw_errno("listen");
}
}  // namespace

UniqueFd listen_on(const SocketAddress& addr, const ListenOptions& opts) {
  try {
    UniqueFd fd = make_socket(addr.family(), opts.socktype, 0, opts.nonblocking);
    bind_and_listen(fd.get(), addr, opts);
    return fd;
  } catch (...) {
    rethrow_with_context("listening on {}", addr);
  }
}

namespace {
SocketAddress sockname(int fd, bool peer) {
  SocketAddress a;
  socklen_t len = SocketAddress::capacity();
  int rc = peer ? ::getpeername(fd, a.get_mut(), &len) : ::getsockname(fd, a.get_mut(), &len);
  if (rc != 0) throw_errno(peer ? "getpeername" : "getsockname");
  a.set_size(len);
  return a;
}
}  // namespace

SocketAddress local_address(int fd) {
  return sockname(fd, false);
}
SocketAddress peer_address(int fd) {
  return sockname(fd, true);
}

UniqueFd start_connect(const SocketAddress& addr, int& err, int socktype) noexcept {
  int fd = ::socket(addr.family(), socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    err = errno;
    return UniqueFd();
  }
  UniqueFd sock(fd);
  err = ::connect(fd, addr.get(), addr.size()) == 0 ? 0 : errno;
  // An interrupted connect carries on in the background (connect(2)); calling it again would only
  // say EALREADY, so it is reported like EINPROGRESS.
  if (err == EINTR) err = EINPROGRESS;
  return sock;
}

int connect_again(int fd, const SocketAddress& addr) noexcept {
  // Non-blocking: never EINTR, and an interrupted connect would only report EALREADY again.
  return ::connect(fd, addr.get(), addr.size()) == 0 ? 0 : errno;
}

int connect_result(int fd) noexcept {
  int value = 0;
  socklen_t len = sizeof value;
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &len) != 0) return errno;
  return value;
}

namespace {
// 0 on success, else the errno of the failure (ETIMEDOUT for our own timeout, EINTR for a signal).
int connect_one(UniqueFd& out, const SocketAddress& addr, std::chrono::milliseconds timeout) {
  int err = 0;
  UniqueFd fd = start_connect(addr, err);
  if (!fd) return err;
  if (err == EINPROGRESS) {
    int ready = wait_ready(fd.get(), POLLOUT, timeout);
    if (ready == 0) return ETIMEDOUT;
    if (ready < 0) return -ready;
    err = connect_result(fd.get());
  }
  if (err == 0) out = std::move(fd);
  return err;
}
}  // namespace

Connection connect_any(std::span<const SocketAddress> addrs, std::chrono::milliseconds timeout,
                       bool nonblocking) {
  std::string failures;
  int last_err = ENOENT;
  for (const auto& addr : addrs) {
    UniqueFd fd;
    int err = connect_one(fd, addr, timeout);
    if (err == 0) {
      if (!nonblocking) set_nonblocking(fd.get(), false);
      return Connection{std::move(fd), addr};
    }
    if (err == EINTR) throw RuntimeError(fmt::format("connecting to {}: interrupted", addr));
    last_err = err;
    failures += fmt::format("{}{}: {}", failures.empty() ? "" : "; ", addr,
                            err == ETIMEDOUT ? "timed out" : std::strerror(err));
  }
  if (addrs.size() == 1)
    throw std::system_error(last_err, std::generic_category(), fmt::format("connecting to {}", addrs[0]));
  throw RuntimeError(fmt::format("connecting failed for every address ({})", failures));
}

}  // namespace nt::net
