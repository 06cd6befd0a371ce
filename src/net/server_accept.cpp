// The accepting half of a stream server loop: bursts, admission (total and per-IP limits), and
// descriptor exhaustion.
#include <fcntl.h>
#include <sys/socket.h>

#include <cerrno>
#include <exception>

#include "net/server_loop.hpp"

namespace nt::net {

namespace {
constexpr int kAcceptBurst = 256;  // accepts per wake-up, so a connect storm cannot starve the others

UniqueFd open_spare_fd() {
  return UniqueFd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
}

int accept_from(int listener, SocketAddress& peer) {
  socklen_t len = SocketAddress::capacity();
  int fd = ::accept4(listener, peer.get_mut(), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd >= 0) peer.set_size(len);
  return fd;
}
}  // namespace

void ServerLoop::on_listener_ready() {
  ++depth_;
  for (int i = 0; i < kAcceptBurst; ++i) {
    SocketAddress peer;
    int fd = accept_from(listener_, peer);
    if (fd >= 0) {
      accept_one(UniqueFd(fd), peer);
      continue;
    }
    if (errno == EINTR || errno == ECONNABORTED) continue;
    if (errno == EMFILE || errno == ENFILE) {
      if (shed_on_fd_exhaustion()) continue;
      break;
    }
    if (errno == ENOBUFS || errno == ENOMEM) pause_listener();
    break;  // EAGAIN: nothing more to accept (other errors are the client's, e.g. EPROTO)
  }
  --depth_;
  if (!doomed_.empty()) reap();
}

// Out of descriptors, the waiting client would stay in the backlog and the level-triggered listener
// would wake us forever. Give back the spare descriptor, accept the client, tell it no (close), take
// the spare again. The spare is one per process under a lock: with per-loop spares, a second loop's
// accept could take the freed slot, the spare could not be reopened, and that loop spun at 100% CPU.
// Another loop (or any open) may still take the slot between our close and accept: then pause.
bool ServerLoop::shed_on_fd_exhaustion() {
  std::unique_lock lock(shared_.spare_mu);
  if (!shared_.spare) shared_.spare = open_spare_fd();  // a slot freed since: take it back first
  if (!shared_.spare) {
    lock.unlock();
    pause_listener();
    return false;
  }
  shared_.spare.reset();
  SocketAddress peer;
  int fd = accept_from(listener_, peer);
  int accept_errno = errno;
  if (fd >= 0) refuse(UniqueFd(fd), peer, "fd_limit");
  shared_.spare = open_spare_fd();
  bool ok = fd >= 0 && shared_.spare.valid();
  lock.unlock();
  if (!ok && accept_errno != EAGAIN) pause_listener();
  return ok;
}

// Level-triggered listener with clients we cannot take: leave the epoll set for a moment.
void ServerLoop::pause_listener() {
  if (listener_paused_) return;
  listener_paused_ = true;
  loop_.park(listener_);
  loop_.add_timer(kPauseOnExhaustion, [this] {
    listener_paused_ = false;
    loop_.unpark(listener_);
  });
}

bool ServerLoop::admit(const std::string& ip_key, const char** reason) {
  const StreamServerConfig& cfg = shared_.config;
  std::size_t now_active = shared_.active.fetch_add(1) + 1;
  if (now_active > cfg.max_clients) {
    shared_.active.fetch_sub(1);
    *reason = "max_clients";
    return false;
  }
  if (cfg.max_per_ip > 0 && !ip_key.empty()) {
    std::lock_guard lock(shared_.per_ip_mu);
    std::size_t& n = shared_.per_ip[ip_key];
    if (n >= cfg.max_per_ip) {
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
  if (shared_.config.max_per_ip == 0 || ip_key.empty()) return;
  std::lock_guard lock(shared_.per_ip_mu);
  auto it = shared_.per_ip.find(ip_key);
  if (it != shared_.per_ip.end() && --it->second == 0) shared_.per_ip.erase(it);
}

void ServerLoop::refuse(UniqueFd fd, const SocketAddress& peer, const char* reason) {
  fd.reset();  // closed at once: the client reads EOF instead of waiting in the backlog
  shared_.refused.fetch_add(1);
  handler_.on_refused(peer, reason, shared_.active.load());
}

void ServerLoop::accept_one(UniqueFd fd, const SocketAddress& peer) {
  std::string ip_key = peer.is_inet() ? peer.host() : std::string();
  const char* reason = nullptr;
  if (!admit(ip_key, &reason)) return refuse(std::move(fd), peer, reason);
  if (peer.is_inet() && shared_.config.no_delay) set_no_delay(fd.get());
  std::unique_ptr<Conn> owned(new Conn());
  Conn& c = *owned;
  c.owner_ = this;
  int raw = fd.get();
  try {
    c.stream_ = shared_.config.stream_factory(std::move(fd), peer);  // a TLS session may fail to start
  } catch (const std::exception& e) {
    release_slot(ip_key);
    return handler_.on_handshake_failed(peer, e.what());
  }
  c.id_ = shared_.next_conn_id.fetch_add(1);
  c.peer_ = peer;
  c.peer_text_ = peer.to_string();
  c.ip_key_ = std::move(ip_key);
  c.started_ = c.last_progress_ = loop_.now();
  conns_.emplace(&c, std::move(owned));
  c.interest_ = EPOLLIN;
  loop_.add(raw, EPOLLIN, [this, &c](uint32_t) { on_io(c); });
  if (shared_.config.idle_timeout.count() > 0)
    c.idle_timer_ = loop_.add_timer(shared_.config.idle_timeout, [this, &c] { on_idle_timer(c); });
  continue_handshake(c);
}

}  // namespace nt::net
