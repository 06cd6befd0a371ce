#include "subcommands/sockopt/sources.hpp"

#include <fmt/format.h>
#include <poll.h>

#include <cstring>

#include "net/endpoint.hpp"
#include "net/io.hpp"
#include "net/resolver.hpp"
#include "net/socket_calls.hpp"
#include "net/socket_description.hpp"
#include "sys/error.hpp"
#include "sys/process_fds.hpp"

namespace nt::sockopt {

namespace {
Acquired own(net::UniqueFd fd, std::string source) {
  Acquired a;
  a.handle_fd = fd.get();
  a.origin = Origin{std::move(source), fd.get(), std::nullopt, false};
  a.owned = std::move(fd);
  return a;
}
}  // namespace

Acquired open_fresh(const Options& o, const std::vector<SetRequest>& sets) {
  const SocketKind k = parse_kind(o.new_kind);
  Acquired a = own(net::open_socket(k.family, k.type, k.protocol), "new");
  a.sets = apply_sets(a.owned, sets, k.family, k.type);
  return a;
}

Acquired borrow_inherited(int fd) {
  net::SocketDescription d;
  const int rc = net::describe_socket(net::SocketHandle(fd), d);
  if (rc == -EBADF) throw UsageError(fmt::format("invalid --fd {}: not an open descriptor", fd));
  if (rc == -ENOTSOCK) throw UsageError(fmt::format("invalid --fd {}: not a socket", fd));
  if (rc != 0) throw RuntimeError(fmt::format("inspecting fd {}: {}", fd, std::strerror(-rc)));
  Acquired a;
  a.handle_fd = fd;
  a.origin = Origin{"fd", fd, std::nullopt, true};  // shared with whoever passed it: no intrusive reads
  return a;
}

std::vector<Acquired> take_from_process(int pid, std::optional<int> fd) {
  const sys::ProcessHandle process(pid);
  std::vector<Acquired> out;
  auto add = [&](int target, net::UniqueFd dup) {
    Acquired a;
    a.handle_fd = dup.get();
    a.owned = std::move(dup);
    a.origin = Origin{"pid", target, pid, true};
    out.push_back(std::move(a));
  };
  if (fd) {
    net::UniqueFd dup = process.take(*fd);
    net::SocketDescription d;
    if (net::describe_socket(net::SocketHandle(dup), d) == -ENOTSOCK)
      throw UsageError(
          fmt::format("invalid --fd {}: descriptor {} of process {} is not a socket", *fd, *fd, pid));
    add(*fd, std::move(dup));
    return out;
  }
  for (const sys::ProcessFd& pfd : sys::process_fds(pid)) {
    if (pfd.socket_inode == 0) continue;
    net::UniqueFd dup;
    const int rc = process.try_take(pfd.fd, dup);
    if (rc == -EBADF) continue;              // closed since /proc listed it
    if (rc < 0) dup = process.take(pfd.fd);  // again, to throw with the cause named (EPERM: exit 4)
    add(pfd.fd, std::move(dup));
  }
  return out;
}

Acquired open_connected(const Options& o, const std::vector<SetRequest>& sets, int family) {
  const net::Endpoint ep = net::parse_endpoint(o.connect, net::EndpointRules{});
  const auto addrs = net::resolve(ep, net::ResolveOptions{family, SOCK_STREAM, false});
  const auto timeout = std::chrono::milliseconds(static_cast<long long>(o.timeout_s * 1000));
  std::string failures;
  for (const net::SocketAddress& addr : addrs) {
    Acquired a = own(net::open_socket(addr.family(), SOCK_STREAM), "connect");
    a.sets = apply_sets(a.owned, sets, addr.family(), SOCK_STREAM);  // before connect: SYN options count
    const int rc = net::SocketHandle(a.owned).connect(addr, timeout);
    if (rc == 0) return a;
    failures += fmt::format("{}{}: {}", failures.empty() ? "" : "; ", addr, std::strerror(-rc));
  }
  throw RuntimeError(fmt::format("connecting to {}: {}", o.connect, failures));
}

Acquired open_listening(const Options& o, const std::vector<SetRequest>& sets, int family) {
  net::EndpointRules rules;
  rules.allow_empty_host = true;
  rules.allow_port_only = true;
  const net::Endpoint ep = net::parse_endpoint(o.listen, rules);
  const auto addrs = net::resolve(ep, net::ResolveOptions{family, SOCK_STREAM, true});
  const net::SocketAddress& addr = addrs.front();
  Acquired a = own(net::open_socket(addr.family(), SOCK_STREAM), "listen");
  a.sets = apply_sets(a.owned, sets, addr.family(), SOCK_STREAM);  // before listen: SO_RCVBUF → window scale
  const net::SocketHandle s(a.owned);
  net::bind_or_throw(s, addr);
  if (const int rc = s.listen(128); rc != 0) net::throw_call_error("listen", addr, -rc);
  return a;
}

Acquired accept_one(const Acquired& listener, std::chrono::milliseconds timeout) {
  const int ready = net::wait_ready(listener.handle_fd, POLLIN, timeout);
  if (ready == 0) throw RuntimeError(fmt::format("--accept: no connection within {} ms", timeout.count()));
  if (ready < 0) throw RuntimeError(fmt::format("--accept: {}", std::strerror(-ready)));
  const int fd = net::SocketHandle(listener.handle_fd).accept(nullptr, 0);
  if (fd < 0) throw RuntimeError(fmt::format("--accept: {}", std::strerror(-fd)));
  return own(net::UniqueFd(fd), "accept");
}

}  // namespace nt::sockopt
