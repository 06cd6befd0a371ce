// `fd-pass recv`: takes one sender's descriptors (MSG_CMSG_CLOEXEC; MSG_CTRUNC is an error naming
// what was lost), checks who sent them, then describes them or --exec's a command with them at 3, 4, …
// under systemd's LISTEN_FDS protocol. With --exec, privileges are not dropped: the command runs as
// whoever started fd-pass, as systemd-socket-activate's would.
#include <poll.h>
#include <sys/resource.h>

#include <cstring>

#include "net/fd_passing.hpp"
#include "net/io.hpp"
#include "net/socket_activation.hpp"
#include "subcommands/fd_pass/channel.hpp"
#include "subcommands/fd_pass/describe.hpp"
#include "subcommands/fd_pass/fd_pass.hpp"
#include "subcommands/fd_pass/message.hpp"
#include "subcommands/fd_pass/peer.hpp"
#include "subcommands/fd_pass/records.hpp"
#include "sys/clock.hpp"
#include "sys/error.hpp"
#include "sys/privileges.hpp"
#include "sys/rlimits.hpp"
#include "sys/spawn.hpp"

namespace nt::fd_pass {

namespace {
constexpr std::size_t kPayloadMax = net::kScmMaxFd * 257 + 32;  // names of one full message, "#I/N "
// A peer streaming bytes without descriptors is not doing fd-pass: stop reading it past this.
constexpr std::size_t kMaxBytesWithoutFds = 1u << 20;

struct Transfer {
  std::vector<net::UniqueFd> fds;
  std::vector<std::string> names;
  std::size_t messages = 0;
  std::size_t bytes_without_fds = 0;
  std::optional<uid_t> refused_uid;  // a message from a uid --allow-uid does not allow
};

std::chrono::milliseconds wait_time(double seconds) {
  return seconds > 0 ? std::chrono::milliseconds(static_cast<long long>(seconds * 1000))
                     : std::chrono::milliseconds(-1);
}

// MSG_CTRUNC: the kernel closed what did not fit. Either our buffer was too small (--max-fds) or we
// hit RLIMIT_NOFILE while it installed them (scm_detach_fds stops at the first failure).
[[noreturn]] void throw_truncated(std::size_t got, std::size_t declared, std::size_t room) {
  struct rlimit lim {};
  (void)::getrlimit(RLIMIT_NOFILE, &lim);
  const std::string why = got < room ? fmt::format("RLIMIT_NOFILE {} reached", lim.rlim_cur)
                                     : fmt::format("room for {} here: --max-fds", room);
  if (declared > got)
    throw RuntimeError(
        fmt::format("MSG_CTRUNC: {} of {} descriptors lost ({})", declared - got, declared, why));
  throw RuntimeError(fmt::format("MSG_CTRUNC: descriptors lost after the first {} ({})", got, why));
}

// One message into `t`; false at EOF.
bool receive_one(int conn, const RecvOptions& o, Transfer& t, Part& part, cli::Runtime& rt) {
  const int ready = net::wait_ready(conn, POLLIN, wait_time(o.timeout_s));
  if (ready == 0) throw RuntimeError("no message from the peer within the --timeout");
  if (ready < 0) throw RuntimeError(fmt::format("waiting for the peer: {}", std::strerror(-ready)));
  static std::vector<std::byte> buf(kPayloadMax);
  const std::size_t left = t.fds.size() < o.max_fds ? o.max_fds - t.fds.size() : 0;
  const std::size_t room = std::min(left, net::kScmMaxFd);  // 0: any descriptor now is MSG_CTRUNC
  net::ReceivedMessage msg;
  const ssize_t n = net::receive_with_fds(net::SocketHandle(conn), buf, room, msg);
  if (n < 0) throw std::system_error(static_cast<int>(-n), std::generic_category(), "recvmsg");
  if (n == 0 && msg.fds.empty()) return false;
  std::size_t declared = 0;
  const std::string_view payload(reinterpret_cast<const char*>(buf.data()), msg.bytes);
  part = decode_part(payload, msg.fds.size(), declared);
  if (msg.truncated) {
    const std::size_t got = msg.fds.size();
    msg.fds.clear();  // closed now: at RLIMIT_NOFILE, even reporting the error may need a descriptor
    t.fds.clear();
    throw_truncated(got, declared, room);
  }
  if (o.allow_uid && msg.sender && msg.sender->uid != *o.allow_uid) t.refused_uid = msg.sender->uid;
  if (msg.fds.empty()) {  // bytes alone: no record (a flood would make millions), just counted
    t.bytes_without_fds += msg.bytes;
    return true;
  }
  MessageEvent ev{"received", part.index, part.count, msg.fds.size(), msg.bytes, {}, {}, {}};
  if (msg.sender)
    ev.sender_pid = msg.sender->pid, ev.sender_uid = msg.sender->uid, ev.sender_gid = msg.sender->gid;
  rt.out.emit(ev.to_record());
  ++t.messages;
  for (auto& fd : msg.fds) t.fds.push_back(std::move(fd));
  t.names.insert(t.names.end(), part.names.begin(), part.names.end());
  return true;
}

Transfer receive_all(int conn, const RecvOptions& o, cli::Runtime& rt) {
  Transfer t;
  std::size_t expected_part = 1;
  for (;;) {
    Part part;
    if (!receive_one(conn, o, t, part, rt)) {
      if (t.fds.empty()) throw RuntimeError("the peer closed without passing any descriptor");
      throw RuntimeError(
          fmt::format("the peer closed after part {} of a numbered transfer", expected_part - 1));
    }
    if (t.refused_uid) return t;
    if (part.names.empty()) {  // data without descriptors: wait for them, within a bound
      if (t.bytes_without_fds > kMaxBytesWithoutFds)
        throw RuntimeError("the peer sent over 1 MiB without passing any descriptor");
      continue;
    }
    if (!part.numbered) return t;
    if (part.index != expected_part)
      throw RuntimeError(
          fmt::format("message #{}/{} came when #{} was due", part.index, part.count, expected_part));
    if (part.index == part.count) return t;
    ++expected_part;
  }
}

int refuse(uid_t uid, const RecvOptions& o, cli::Runtime& rt) {
  rt.out.emit(RefusedEvent{uid, *o.allow_uid}.to_record());
  return kExitNegative;
}

int exec_command(Transfer& t, const RecvOptions& o, Summary& summary, cli::Runtime& rt) {
  sys::SpawnRequest req;
  req.argv = o.command;
  for (const auto& fd : t.fds) req.fds.push_back(fd.get());
  req.names = t.names;
  rt.out.flush();  // our records before the command's, when both write to this stdout
  const pid_t pid = sys::spawn_with_fds(req);
  rt.out.emit(ExecEvent{pid, o.command, t.fds.size(), net::join_fd_names(t.names)}.to_record());
  rt.out.flush();
  t.fds.clear();  // the command has them now
  const int status = sys::wait_forwarding_signals(pid);
  summary.exit_status = status;
  rt.out.emit(summary.to_record());
  return status;
}
}  // namespace

int run_recv(const RecvOptions& opts, cli::Runtime& rt) {
  validate(opts);
  const auto started = sys::MonoClock::now();
  sys::raise_fd_limit();
  if (!opts.exec) sys::drop_privileges();
  const net::SocketAddress addr = parse_socket_address(opts.socket);
  const auto timeout = std::chrono::milliseconds(static_cast<long long>(opts.timeout_s * 1000));
  Transfer t;
  PeerEvent peer;
  {
    Channel channel =
        opts.connect ? Channel::connect(addr, timeout, true) : Channel::accept_one(addr, timeout, true, [&] {
          rt.out.emit(ListeningEvent{addr.to_string(), "socket"}.to_record());
        });
    peer = identify_peer(channel.fd(), addr);
    rt.out.emit(peer.to_record());
    if (opts.allow_uid && peer.uid != *opts.allow_uid) return refuse(peer.uid, opts, rt);
    t = receive_all(channel.fd(), opts, rt);
  }
  if (t.refused_uid) return refuse(*t.refused_uid, opts, rt);
  for (std::size_t i = 0; i < t.fds.size(); ++i)
    rt.out.emit(describe_descriptor({"received", i, t.fds[i].get(), t.names[i]}));
  Summary summary{"recv",      t.fds.size(), t.messages,
                  peer.pid,    peer.uid,     sys::to_seconds(sys::MonoClock::now() - started),
                  std::nullopt};
  if (opts.exec) return exec_command(t, opts, summary, rt);
  rt.out.emit(summary.to_record());
  return kExitOk;
}

}  // namespace nt::fd_pass
