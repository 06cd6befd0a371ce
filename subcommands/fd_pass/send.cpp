// `fd-pass send`: gathers the descriptors (inherited --fd N, --open PATH, --tcp-listen ADDR), describes
// them, and passes them in one SCM_RIGHTS message, or several numbered ones past SCM_MAX_FD.
#include <fcntl.h>

#include <cstring>

#include "net/endpoint.hpp"
#include "net/fd_passing.hpp"
#include "net/io.hpp"
#include "net/resolver.hpp"
#include "net/socket.hpp"
#include "subcommands/fd_pass/channel.hpp"
#include "subcommands/fd_pass/describe.hpp"
#include "subcommands/fd_pass/fd_pass.hpp"
#include "subcommands/fd_pass/message.hpp"
#include "subcommands/fd_pass/peer.hpp"
#include "subcommands/fd_pass/records.hpp"
#include "sys/clock.hpp"
#include "sys/error.hpp"
#include "sys/fd_description.hpp"
#include "sys/privileges.hpp"
#include "sys/rlimits.hpp"

namespace nt::fd_pass {

namespace {
struct Outgoing {
  std::vector<int> fds;
  std::vector<std::string> names;
  std::vector<net::UniqueFd> owned;  // what we opened ourselves (--open, --tcp-listen)

  void add_owned(net::UniqueFd fd, std::string name) {
    fds.push_back(fd.get());
    names.push_back(std::move(name));
    owned.push_back(std::move(fd));
  }
};

void add_inherited(Outgoing& out, const std::vector<std::string>& specs) {
  for (const auto& text : specs) {
    const FdSpec spec = parse_fd_spec(text);
    if (!sys::fd_is_open(spec.fd))
      throw UsageError(fmt::format("invalid --fd '{}': descriptor {} is not open", text, spec.fd));
    out.fds.push_back(spec.fd);
    out.names.push_back(spec.name);
  }
}

void add_opened(Outgoing& out, const std::vector<std::string>& paths) {
  for (const auto& path : paths) {
    net::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
    if (!fd) throw UsageError(fmt::format("invalid --open '{}': {}", path, std::strerror(errno)));
    out.add_owned(std::move(fd), "file");
  }
}

void add_tcp_listeners(Outgoing& out, const std::vector<std::string>& addrs, cli::Runtime& rt) {
  for (const auto& text : addrs) {
    net::EndpointRules rules;
    rules.allow_local = false;
    const net::Endpoint ep = net::parse_endpoint(text, rules);
    const auto resolved = net::resolve(ep, net::ResolveOptions{rt.global.family, SOCK_STREAM, true});
    net::ListenOptions lo;
    lo.nonblocking = false;  // the receiver's server decides; most expect a blocking socket
    net::UniqueFd fd = net::listen_on(resolved.front(), lo);
    rt.out.emit(ListeningEvent{net::local_address(fd.get()).to_string(), "tcp"}.to_record());
    out.add_owned(std::move(fd), "tcp");
  }
}

void send_part(int conn, const Part& part, std::span<const int> fds) {
  const std::string payload = encode_part(part);
  const ssize_t n = net::send_with_fds(net::SocketHandle(conn), net::as_bytes(payload), fds);
  if (n == -EPIPE || n == -ECONNRESET)
    throw RuntimeError(fmt::format("peer closed before message {}/{} was sent", part.index, part.count));
  if (n < 0) throw std::system_error(static_cast<int>(-n), std::generic_category(), "sendmsg SCM_RIGHTS");
  // A short write would leave the rest of the payload for a later read: resend it without descriptors.
  if (static_cast<std::size_t>(n) < payload.size()) {
    const auto rest = net::as_bytes(payload).subspan(static_cast<std::size_t>(n));
    if (const ssize_t rc = net::send_all(conn, rest); rc < 0)
      throw std::system_error(static_cast<int>(-rc), std::generic_category(), "send");
  }
}
}  // namespace

int run_send(const SendOptions& opts, cli::Runtime& rt) {
  validate(opts);
  const auto started = sys::MonoClock::now();
  sys::raise_fd_limit();
  Outgoing out;
  add_inherited(out, opts.fds);
  add_opened(out, opts.opens);
  add_tcp_listeners(out, opts.tcp_listens, rt);
  sys::drop_privileges();  // a --tcp-listen port below 1024 is bound: nothing more needs a capability

  const net::SocketAddress addr = parse_socket_address(opts.socket);
  const auto timeout = std::chrono::milliseconds(static_cast<long long>(opts.timeout_s * 1000));
  Channel channel =
      opts.listen ? Channel::accept_one(addr, timeout, false,
                                        [&] {
                                          rt.out.emit(ListeningEvent{addr.to_string(), "socket"}.to_record());
                                        })
                  : Channel::connect(addr, timeout, false);
  const PeerEvent peer = identify_peer(channel.fd(), addr);
  rt.out.emit(peer.to_record());
  for (std::size_t i = 0; i < out.fds.size(); ++i)
    rt.out.emit(describe_descriptor({"sent", i, out.fds[i], out.names[i]}));

  const auto parts = split_parts(out.names, net::kScmMaxFd);
  std::size_t offset = 0;
  for (const auto& part : parts) {
    const auto fds = std::span<const int>(out.fds).subspan(offset, part.names.size());
    send_part(channel.fd(), part, fds);
    offset += fds.size();
    rt.out.emit(MessageEvent{"sent", part.index, part.count, fds.size(), encode_part(part).size(), {}, {}, {}}
                    .to_record());
  }
  (void)net::SocketHandle(channel.fd()).shutdown(SHUT_WR);
  Summary summary{"send",      out.fds.size(), parts.size(),
                  peer.pid,    peer.uid,       sys::to_seconds(sys::MonoClock::now() - started),
                  std::nullopt};
  rt.out.emit(summary.to_record());
  return kExitOk;
}

}  // namespace nt::fd_pass
