#include "subcommands/portscan/connect_scan.hpp"

#include <algorithm>
#include <array>
#include <cerrno>

#include "net/socket.hpp"
#include "sys/error.hpp"
#include "sys/rlimits.hpp"

namespace nt::portscan {

std::size_t connection_budget(const Plan& plan) {
  const std::size_t limit = sys::raise_fd_limit();
  const std::size_t available = limit > 128 ? limit - 64 : limit / 2;
  const std::size_t wanted = plan.concurrency ? plan.concurrency : 65536;
  return std::max<std::size_t>(1, std::min(wanted, available));
}

namespace {
// connect() that met itself: on loopback, a port in the ephemeral range can be picked as the source
// port of a connect to that very port, and TCP simultaneous open then "connects" (RFC 9293 §3.5).
bool self_connected(int fd) {
  try {
    return net::local_address(fd) == net::peer_address(fd);
  } catch (const std::exception&) {
    return false;
  }
}

std::optional<scan::Verdict> verdict_of(int fd, int err) {
  if (err == 0 && self_connected(fd)) return scan::Verdict{scan::PortState::closed, "self-connect"};
  return scan::classify_connect(err);
}

constexpr int kEventBatch = 1024;  // readiness events read per callback

}  // namespace

ConnectScanner::ConnectScanner(event::EventLoop& loop, Engine& engine, const Plan& plan)
    : loop_(loop), engine_(engine), group_(loop, [this] { drain(); }) {
  if (plan.banner)
    banners_ = std::make_unique<BannerReader>(loop, plan.timeout, [this](PortResult r) {
      engine_.report(r);
      engine_.pump();
    });
}

ConnectScanner::~ConnectScanner() = default;

int ConnectScanner::read_events() {
  std::array<epoll_event, kEventBatch> events{};
  const int n = group_.ready(events);
  for (int i = 0; i < n; ++i) on_ready(events[static_cast<std::size_t>(i)].data.fd);
  return n;
}

std::size_t ConnectScanner::idle_count() const noexcept {
  return idle_[0].size() + idle_[1].size();
}

void ConnectScanner::refill() {
  // Put the freed sockets to work now rather than on the next turn of the loop.
  for (std::size_t before = 0; idle_count() != 0 && idle_count() != before;) {
    before = idle_count();
    engine_.pump();
  }
}

void ConnectScanner::drain() {
  if (read_events() > 0) refill();
}

void ConnectScanner::settle_ready() {
  // No refill here: new probes would queue among the ready sockets. Without them every round shrinks
  // the ready list, so this ends once all that was ready is handled.
  for (std::size_t rounds = sockets_.size() / kEventBatch + 1; rounds > 0; --rounds)
    if (read_events() < kEventBatch) break;
}

net::UniqueFd ConnectScanner::reconnect_idle(const net::SocketAddress& address, int& err) {
  auto& pool = idle_[address.family() == AF_INET6];
  if (pool.empty()) return net::UniqueFd();
  net::UniqueFd fd = std::move(pool.back());
  pool.pop_back();
  err = net::connect_again(fd.get(), address);
  return fd;
}

void ConnectScanner::track(net::UniqueFd fd, const ProbeKey& key, bool watched) {
  const int raw = fd.get();
  if (!watched) {
    // Edge-triggered: a socket reports each change of state once, so a refused one waiting in the
    // idle pool (TCP_CLOSE, which polls as EPOLLHUP) stays quiet instead of waking us every turn.
    group_.add(raw, EPOLLOUT | EPOLLET);
  }
  if (key_of_fd_.size() <= static_cast<std::size_t>(raw))
    key_of_fd_.resize(static_cast<std::size_t>(raw) * 2 + 1);
  key_of_fd_[static_cast<std::size_t>(raw)] = key;
  sockets_[key] = std::move(fd);
}

Transport::SendResult ConnectScanner::send(const Probe& probe) {
  const net::SocketAddress address = probe.key.addr.socket_address(probe.key.port);
  int err = 0;
  net::UniqueFd fd;
  if (sync_.active()) fd = sync_.connect(address, err);
  const bool synchronous = static_cast<bool>(fd);
  if (!fd) fd = reconnect_idle(address, err);
  const bool watched = static_cast<bool>(fd) && !synchronous;
  if (!fd) fd = net::start_connect(address, err);
  if (!fd) {
    // EMFILE/ENFILE: out of descriptors; ENOBUFS/ENOMEM: kernel memory. Both pass as probes finish.
    if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) return {Status::busy};
    throw_errno("socket");
  }
  // Loopback connects may finish at once; with --banner the socket still goes through on_ready.
  if (err == EINPROGRESS || (err == 0 && banners_)) {
    track(std::move(fd), probe.key, watched);
    return {Status::sent};
  }
  // EADDRNOTAVAIL: no free ephemeral port for this destination; EAGAIN: the same, on older kernels.
  if (err == EADDRNOTAVAIL || err == EAGAIN || err == ENOBUFS) return {Status::busy};
  auto verdict = verdict_of(fd.get(), err);
  if (!verdict) throw_errno("connect to " + address.to_string(), err);
  if (verdict->state == scan::PortState::open)
    abort_close(fd);
  else if (synchronous && err != 0)  // refused: disconnected, ready for the next port
    sync_.give_back(std::move(fd), address.family());
  return {Status::done, verdict};
}

void ConnectScanner::on_ready(int raw) {
  const auto now = loop_.now();
  auto& slot = key_of_fd_[static_cast<std::size_t>(raw)];
  if (!slot) return;
  const ProbeKey key = *slot;
  const net::SocketAddress address = key.addr.socket_address(key.port);
  int err = net::connect_again(raw, address);
  if (err == EALREADY || err == EINPROGRESS) return;  // woken before the handshake ended
  if (err == EISCONN) err = 0;  // connected already when it was handed over (SyncConnector)
  slot.reset();
  auto it = sockets_.find(key);
  if (it == sockets_.end() || it->second.get() != raw) return;
  net::UniqueFd fd = std::move(it->second);
  sockets_.erase(it);
  auto verdict = verdict_of(raw, err);
  if (!verdict) {
    // A local failure (e.g. ENOBUFS) says nothing about the port: let the timeout retry it.
    return;
  }
  const bool open = verdict->state == scan::PortState::open;
  const bool grab = open && banners_;
  auto rtt = engine_.complete(key, *verdict, now, !grab);
  if (grab && rtt) {
    group_.remove(raw);  // the banner reader watches it now
    banners_->read(std::move(fd), PortResult{key.addr, key.port, *verdict, rtt, std::nullopt});
    return;
  }
  if (open)
    abort_close(fd);  // nothing to linger over
  else if (err != 0)  // not a self-connect, which is connected
    idle_[address.family() == AF_INET6].push_back(std::move(fd));
}

void ConnectScanner::abandon(const Probe& probe) {
  auto it = sockets_.find(probe.key);
  if (it == sockets_.end()) return;
  key_of_fd_[static_cast<std::size_t>(it->second.get())].reset();
  sockets_.erase(it);  // close(2) drops a connect still in SYN_SENT and takes it out of group_
}

}  // namespace nt::portscan
