// Socket creation, listening and connecting. Every socket is SOCK_CLOEXEC.
#pragma once
#include <chrono>
#include <span>
#include <string>
#include <vector>

#include "net/address.hpp"
#include "net/fd.hpp"

namespace nt::net {

// socket(2) with SOCK_CLOEXEC (and SOCK_NONBLOCK when asked). Throws system_error.
UniqueFd make_socket(int family, int type, int protocol = 0, bool nonblocking = false);

void set_nonblocking(int fd, bool on = true);
void set_int_option(int fd, int level, int name, int value, const char* what);
int get_int_option(int fd, int level, int name);

struct ListenOptions {
  int backlog = 4096;
  bool reuse_port = false;  // SO_REUSEPORT: one loop per thread on the same port
  bool v6_only = false;     // false: [::] also accepts IPv4 (dual stack)
  bool nonblocking = true;
  int socktype = SOCK_STREAM;  // SOCK_DGRAM binds without listen()
};

// False when the kernel has no IPv6 (booted with ipv6.disable=1): socket(AF_INET6) fails.
bool ipv6_available() noexcept;
// The wildcard a server listens on: [::] (dual-stack: IPv4 too) unless -4 asked for IPv4 (`family`
// AF_INET) or the kernel has no IPv6, then 0.0.0.0.
SocketAddress wildcard_address(int family, uint16_t port);

// Binds (SO_REUSEADDR on inet, unlinking a stale unix socket file first) and listens.
// Throws RuntimeError("listening on ADDR") nesting the errno.
UniqueFd listen_on(const SocketAddress& addr, const ListenOptions& opts = {});

// The address the socket is bound to (the kernel's port when we bound port 0) / connected to.
SocketAddress local_address(int fd);
SocketAddress peer_address(int fd);

struct Connection {
  UniqueFd fd;
  SocketAddress peer;
};

// Tries each address in order with a per-address timeout; the first that connects wins.
// Throws RuntimeError("connecting to X") whose message lists every address tried and why it failed
// (connection refused, timed out, …). The returned socket is blocking unless `nonblocking`.
Connection connect_any(std::span<const SocketAddress> addrs, std::chrono::milliseconds timeout,
                       bool nonblocking = false);

// Starts a non-blocking connect: returns the socket; errno-style result in `err` (0 or EINPROGRESS
// or the immediate failure). For event-driven clients and scanners.
UniqueFd start_connect(const SocketAddress& addr, int& err, int socktype = SOCK_STREAM) noexcept;
// SO_ERROR after the socket became writable: 0 when connected.
int connect_result(int fd) noexcept;
// connect(2) once more on a socket whose non-blocking connect has finished reports its outcome, as
// SO_ERROR does: 0 connected, else the failure's errno (EALREADY: still connecting). After a failure
// the kernel has also disconnected it (__inet_stream_connect's sock_error path: SS_UNCONNECTED,
// TCP_CLOSE), so calling this again with a new address starts a fresh connection (EINPROGRESS).
int connect_again(int fd, const SocketAddress& addr) noexcept;

}  // namespace nt::net
