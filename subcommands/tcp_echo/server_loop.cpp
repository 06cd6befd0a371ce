#include "subcommands/tcp_echo/server_loop.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>

#include "net/io.hpp"
#include "subcommands/tcp_echo/records.hpp"

namespace nt::tcp_echo {

struct ServerLoop::Conn {
  net::UniqueFd fd;
  uint64_t id = 0;
  std::string peer;
  std::string ip_key;  // the peer's IP for --max-per-ip; empty when not counted
  event::TimePoint started{};
  event::TimePoint last_active{};
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  // Echo the peer has not taken yet; while non-empty we stop reading from it (backpressure), so it never
  // holds more than one read (kReadChunk).
  std::vector<std::byte> pending;
  std::size_t pending_off = 0;
  bool writing = false;
  event::EventLoop::TimerId idle_timer = 0;
};

namespace {
constexpr int kAcceptBurst = 256;    // accepts per wake-up, so a connect storm cannot starve echoing
constexpr int kRoundsPerWakeup = 4;  // full reads echoed per readiness event

net::UniqueFd open_spare_fd() {
  return net::UniqueFd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
}

const char* reason_of(ssize_t err) {
  return err == -ECONNRESET || err == -EPIPE || err == -ETIMEDOUT ? "reset" : "error";
}
}  // namespace

ServerLoop::ServerLoop(ServerShared& shared, int listener, bool watch_signals, bool exclusive_accept)
    : shared_(shared),
      loop_(watch_signals),
      listener_(listener),
      spare_fd_(open_spare_fd()),
      scratch_(kReadChunk) {
  if (shared.opts.idle_timeout_s > 0) idle_timeout_ = sys::from_seconds(shared.opts.idle_timeout_s);
  // EPOLLEXCLUSIVE: several loops sharing one listener would otherwise all wake for each client.
  uint32_t events = EPOLLIN | (exclusive_accept ? uint32_t{EPOLLEXCLUSIVE} : 0u);
  loop_.add(listener_, events, [this](uint32_t) { on_listener_ready(); });
}

ServerLoop::~ServerLoop() = default;

void ServerLoop::on_listener_ready() {
  for (int i = 0; i < kAcceptBurst; ++i) {
    net::SocketAddress peer;
    socklen_t len = net::SocketAddress::capacity();
    int fd = ::accept4(listener_, peer.get_mut(), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE) {
        shed_on_fd_exhaustion(listener_);
        continue;
      }
      return;  // EAGAIN: nothing more to accept (other errors are the client's, e.g. EPROTO)
    }
    peer.set_size(len);
    accept_one(net::UniqueFd(fd), peer);
  }
}

// Out of descriptors, the pending client would stay in the backlog and the level-triggered listener
// would spin. Give back the spare descriptor, accept the client, tell it no, take the spare again.
void ServerLoop::shed_on_fd_exhaustion(int listener) {
  spare_fd_.reset();
  net::SocketAddress peer;
  socklen_t len = net::SocketAddress::capacity();
  int fd = ::accept4(listener, peer.get_mut(), &len, SOCK_CLOEXEC);
  if (fd >= 0) {
    peer.set_size(len);
    refuse(net::UniqueFd(fd), peer, "fd_limit");
  }
  spare_fd_ = open_spare_fd();
}

bool ServerLoop::admit(const std::string& ip_key, const char** reason) {
  std::size_t now_active = shared_.active.fetch_add(1) + 1;
  if (now_active > shared_.opts.max_clients) {
    shared_.active.fetch_sub(1);
    *reason = "max_clients";
    return false;
  }
  if (shared_.opts.max_per_ip > 0 && !ip_key.empty()) {
    std::lock_guard lock(shared_.per_ip_mu);
    std::size_t& n = shared_.per_ip[ip_key];
    if (n >= shared_.opts.max_per_ip) {
      shared_.active.fetch_sub(1);
      *reason = "max_per_ip";
      return false;
    }
    ++n;
  }
  std::size_t peak = shared_.peak.load();
  while (now_active > peak && !shared_.peak.compare_exchange_weak(peak, now_active)) {
  }
  return true;
}

void ServerLoop::release_slot(const std::string& ip_key) {
  shared_.active.fetch_sub(1);
  if (shared_.opts.max_per_ip == 0 || ip_key.empty()) return;
  std::lock_guard lock(shared_.per_ip_mu);
  auto it = shared_.per_ip.find(ip_key);
  if (it != shared_.per_ip.end() && --it->second == 0) shared_.per_ip.erase(it);
}

void ServerLoop::refuse(net::UniqueFd fd, const net::SocketAddress& peer, const char* reason) {
  // Closed at once: the client reads EOF instead of waiting in the backlog.
  fd.reset();
  shared_.refused.fetch_add(1);
  shared_.out.emit(RefusedEvent{peer.to_string(), reason, shared_.active.load()}.to_record());
}

void ServerLoop::accept_one(net::UniqueFd fd, const net::SocketAddress& peer) {
  std::string ip_key = peer.is_inet() ? peer.host() : std::string();
  const char* reason = nullptr;
  if (!admit(ip_key, &reason)) return refuse(std::move(fd), peer, reason);
  if (peer.is_inet()) {
    // Echoes are small and prompt; Nagle would hold a pipelined echo back for a whole RTT.
    int one = 1;
    (void)::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  auto owned = std::make_unique<Conn>();
  Conn& c = *owned;
  c.fd = std::move(fd);
  c.id = shared_.next_conn_id.fetch_add(1);
  c.peer = peer.to_string();
  c.ip_key = std::move(ip_key);
  c.started = c.last_active = loop_.now();
  conns_.emplace(&c, std::move(owned));
  loop_.add(c.fd.get(), EPOLLIN, [this, &c](uint32_t events) { on_io(c, events); });
  if (idle_timeout_.count() > 0)
    c.idle_timer = loop_.add_timer(idle_timeout_, [this, &c] { on_idle_timer(c); });
  ++totals_.connections;
  shared_.out.emit(AcceptedEvent{c.id, c.peer, shared_.active.load()}.to_record());
}

void ServerLoop::on_io(Conn& c, uint32_t /*events*/) {
  // Level-triggered: whatever we leave (unread input, unsent echo) is reported again.
  if (!c.writing) return echo_some(c);
  if (!flush(c)) return;  // still waiting for the peer to read (or closed)
  want_write(c, false);
}

void ServerLoop::echo_some(Conn& c) {
  // A full read means more is probably waiting: take a few more rounds now, saving an epoll_wait each
  // (bulk streams), but not so many that one connection starves the others.
  for (int round = 0; round < kRoundsPerWakeup; ++round) {
    ssize_t n = net::try_recv(c.fd.get(), scratch_);
    if (n == -EAGAIN) return;
    if (n == 0) return close_conn(c, "eof");  // nothing pending: everything has been echoed
    if (n < 0) return close_conn(c, reason_of(n));
    c.bytes_in += static_cast<uint64_t>(n);
    c.last_active = loop_.now();
    auto data = std::span(scratch_).first(static_cast<std::size_t>(n));
    ssize_t sent = net::try_send(c.fd.get(), data);
    if (sent == -EAGAIN) sent = 0;
    if (sent < 0) return close_conn(c, reason_of(sent));
    c.bytes_out += static_cast<uint64_t>(sent);
    if (sent < n) {
      c.pending.assign(data.begin() + sent, data.end());
      c.pending_off = 0;
      return want_write(c, true);
    }
    if (static_cast<std::size_t>(n) < scratch_.size()) return;
  }
}

bool ServerLoop::flush(Conn& c) {
  auto rest = std::span(c.pending).subspan(c.pending_off);
  ssize_t sent = net::try_send(c.fd.get(), rest);
  if (sent == -EAGAIN) return false;
  if (sent < 0) {
    close_conn(c, reason_of(sent));
    return false;
  }
  c.bytes_out += static_cast<uint64_t>(sent);
  c.pending_off += static_cast<std::size_t>(sent);
  c.last_active = loop_.now();
  if (c.pending_off < c.pending.size()) return false;
  c.pending.clear();  // keeps its capacity: at most kReadChunk per connection
  c.pending_off = 0;
  return true;
}

void ServerLoop::want_write(Conn& c, bool on) {
  c.writing = on;
  loop_.modify(c.fd.get(), on ? EPOLLOUT : EPOLLIN);
}

// One timer per connection, re-armed lazily: activity only stamps last_active (no timer work per byte).
void ServerLoop::on_idle_timer(Conn& c) {
  c.idle_timer = 0;
  event::TimePoint deadline = c.last_active + idle_timeout_;
  if (loop_.now() < deadline) {
    c.idle_timer = loop_.add_timer(deadline, [this, &c] { on_idle_timer(c); });
    return;
  }
  ++totals_.idle_timeouts;
  close_conn(c, "idle_timeout");
}

void ServerLoop::close_conn(Conn& c, const char* reason) {
  if (c.idle_timer != 0) loop_.cancel_timer(c.idle_timer);
  loop_.remove(c.fd.get());
  release_slot(c.ip_key);
  totals_.bytes_in += c.bytes_in;
  totals_.bytes_out += c.bytes_out;
  double duration = sys::to_seconds(loop_.now() - c.started);
  shared_.out.emit(ClosedEvent{c.id, c.peer, c.bytes_in, c.bytes_out, duration, reason}.to_record());
  conns_.erase(&c);  // closes the socket
}

void ServerLoop::close_all() {
  while (!conns_.empty()) close_conn(*conns_.begin()->second, "shutdown");
}

}  // namespace nt::tcp_echo
