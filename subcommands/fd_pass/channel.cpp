#include "subcommands/fd_pass/channel.hpp"

#include <poll.h>
#include <sys/stat.h>

#include <cstring>

#include "net/fd_passing.hpp"
#include "net/io.hpp"
#include "net/socket.hpp"
#include "net/socket_calls.hpp"
#include "net/socket_handle.hpp"
#include "net/unix_socket_file.hpp"
#include "sys/error.hpp"

namespace nt::fd_pass {

namespace {
// Linux says ECONNREFUSED for a path that is not a socket too: lstat tells the two apart first.
void check_path(const net::SocketAddress& addr) {
  if (addr.is_abstract()) return;
  struct stat st {};
  const std::string path = addr.host();
  if (::lstat(path.c_str(), &st) != 0)
    throw UsageError(fmt::format("invalid --socket '{}': {}", path, std::strerror(errno)));
  if (!S_ISSOCK(st.st_mode)) throw UsageError(fmt::format("invalid --socket '{}': not a socket", path));
}

void pass_credentials_or_throw(int fd) {
  if (const int rc = net::enable_pass_credentials(net::SocketHandle(fd)); rc != 0)
    throw std::system_error(-rc, std::generic_category(), "setsockopt SO_PASSCRED");
}
}  // namespace

Channel Channel::connect(const net::SocketAddress& addr, std::chrono::milliseconds timeout,
                         bool pass_credentials) {
  check_path(addr);
  Channel c;
  c.conn_ = net::open_socket(AF_UNIX, SOCK_STREAM);
  if (pass_credentials) pass_credentials_or_throw(c.conn_.get());
  net::SocketHandle s(c.conn_);
  const int rc = timeout.count() > 0 ? s.connect(addr, timeout) : s.connect(addr);
  if (rc == -ECONNREFUSED) throw RuntimeError(fmt::format("connect {}: nobody is listening there", addr));
  if (rc != 0) net::throw_call_error("connect", addr, -rc);
  return c;
}

Channel Channel::accept_one(const net::SocketAddress& addr, std::chrono::milliseconds timeout,
                            bool pass_credentials, const std::function<void()>& listening) {
  Channel c;
  net::ListenOptions lo;
  lo.backlog = 1;
  c.listener_ = net::listen_on(addr, lo);
  if (!addr.is_abstract()) c.unlink_path_ = addr.host();
  // Set on the listener: an accepted unix socket inherits SO_PASSCRED (unix_sock_inherit_flags).
  if (pass_credentials) pass_credentials_or_throw(c.listener_.get());
  listening();
  const int ready = net::wait_ready(c.listener_.get(), POLLIN,
                                    timeout.count() > 0 ? timeout : std::chrono::milliseconds(-1));
  if (ready == 0) throw RuntimeError(fmt::format("no peer connected to {} within the --timeout", addr));
  if (ready == -EINTR)
    throw RuntimeError(fmt::format("stopped by a signal while waiting for a peer on {}", addr));
  if (ready < 0) throw RuntimeError(fmt::format("waiting for a peer on {}: {}", addr, std::strerror(-ready)));
  const int fd = net::SocketHandle(c.listener_).accept(nullptr, 0);
  if (fd < 0) net::throw_call_error("accept", addr, -fd);
  c.conn_.reset(fd);
  c.listener_.reset();
  return c;
}

Channel::~Channel() {
  if (!unlink_path_.empty()) (void)net::unlink_socket_file(unlink_path_);
}

}  // namespace nt::fd_pass
