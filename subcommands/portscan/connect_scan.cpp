#include "subcommands/portscan/connect_scan.hpp"

#include <sys/epoll.h>

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
}  // namespace

ConnectScanner::ConnectScanner(event::EventLoop& loop, Engine& engine, const Plan& plan)
    : loop_(loop), engine_(engine) {
  epoll_.reset(::epoll_create1(EPOLL_CLOEXEC));
  if (!epoll_) throw_errno("epoll_create1");
  loop_.add(epoll_.get(), EPOLLIN, [this](uint32_t) { drain(); });
  if (plan.banner)
    banners_ = std::make_unique<BannerReader>(loop, plan.timeout, [this](PortResult r) {
      engine_.report(r);
      engine_.pump();
    });
}

ConnectScanner::~ConnectScanner() {
  loop_.remove(epoll_.get());
}

void ConnectScanner::drain() {
  std::array<epoll_event, 1024> events{};
  const int n = ::epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()), 0);
  for (int i = 0; i < n; ++i) on_ready(events[static_cast<std::size_t>(i)].data.fd);
}

Transport::SendResult ConnectScanner::send(const Probe& probe) {
  int err = 0;
  net::UniqueFd fd = net::start_connect(probe.key.addr.socket_address(probe.key.port), err);
  if (!fd) {
    // EMFILE/ENFILE: out of descriptors; ENOBUFS/ENOMEM: kernel memory. Both pass as probes finish.
    if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) return {Status::busy};
    throw_errno("socket");
  }
  // Loopback connects may finish at once; with --banner the socket still goes through on_ready.
  if (err == EINPROGRESS || (err == 0 && banners_)) {
    const int raw = fd.get();
    epoll_event ev{};
    ev.events = EPOLLOUT;
    ev.data.fd = raw;
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, raw, &ev) != 0) throw_errno("epoll_ctl(ADD)");
    if (key_of_fd_.size() <= static_cast<std::size_t>(raw))
      key_of_fd_.resize(static_cast<std::size_t>(raw) * 2 + 1);
    key_of_fd_[static_cast<std::size_t>(raw)] = probe.key;
    sockets_[probe.key] = std::move(fd);
    return {Status::sent};
  }
  // EADDRNOTAVAIL: no free ephemeral port for this destination; EAGAIN: the same, on older kernels.
  if (err == EADDRNOTAVAIL || err == EAGAIN || err == ENOBUFS) return {Status::busy};
  auto verdict = verdict_of(fd.get(), err);
  if (!verdict) throw_errno("connect to " + probe.key.addr.socket_address(probe.key.port).to_string(), err);
  if (verdict->state == scan::PortState::open) abort_close(fd);
  return {Status::done, verdict};
}

void ConnectScanner::on_ready(int raw) {
  const auto now = loop_.now();
  auto& slot = key_of_fd_[static_cast<std::size_t>(raw)];
  if (!slot) return;
  const ProbeKey key = *slot;
  slot.reset();
  auto it = sockets_.find(key);
  if (it == sockets_.end() || it->second.get() != raw) return;
  net::UniqueFd fd = std::move(it->second);
  sockets_.erase(it);
  const int err = net::connect_result(raw);
  auto verdict = verdict_of(raw, err);
  if (!verdict) {
    // A local failure (e.g. ENOBUFS) says nothing about the port: let the timeout retry it.
    return;
  }
  const bool open = verdict->state == scan::PortState::open;
  const bool grab = open && banners_;
  auto rtt = engine_.complete(key, *verdict, now, !grab);
  if (grab && rtt) {
    (void)::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, raw, nullptr);  // the banner reader watches it now
    banners_->read(std::move(fd), PortResult{key.addr, key.port, *verdict, rtt, std::nullopt});
    return;
  }
  if (open) abort_close(fd);  // a refused connect has nothing to linger over
}

void ConnectScanner::abandon(const Probe& probe) {
  auto it = sockets_.find(probe.key);
  if (it == sockets_.end()) return;
  key_of_fd_[static_cast<std::size_t>(it->second.get())].reset();
  sockets_.erase(it);  // close(2) also takes it out of our epoll set  // a connect still in SYN_SENT: closing
                       // just drops it
}

}  // namespace nt::portscan
