#include "subcommands/portscan/connect_scan.hpp"

#include <algorithm>
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

ConnectScanner::ConnectScanner(event::EventLoop& loop, Engine& engine, const Plan& plan)
    : loop_(loop), engine_(engine) {
  if (plan.banner)
    banners_ = std::make_unique<BannerReader>(loop, plan.timeout, [this](PortResult r) {
      engine_.report(r);
      engine_.pump();
    });
}

ConnectScanner::~ConnectScanner() {
  for (auto& [key, fd] : sockets_) loop_.remove(fd.get());
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
    loop_.add(raw, EPOLLOUT, [this, key = probe.key, raw](uint32_t) { on_ready(key, raw); });
    sockets_[probe.key] = std::move(fd);
    return {Status::sent};
  }
  // EADDRNOTAVAIL: no free ephemeral port for this destination; EAGAIN: the same, on older kernels.
  if (err == EADDRNOTAVAIL || err == EAGAIN || err == ENOBUFS) return {Status::busy};
  auto verdict = scan::classify_connect(err);
  if (!verdict) throw_errno("connect to " + probe.key.addr.socket_address(probe.key.port).to_string(), err);
  if (verdict->state == scan::PortState::open) abort_close(fd);
  return {Status::done, verdict};
}

void ConnectScanner::on_ready(const ProbeKey& key, int raw) {
  const auto now = loop_.now();
  auto it = sockets_.find(key);
  if (it == sockets_.end() || it->second.get() != raw) return;
  net::UniqueFd fd = std::move(it->second);
  sockets_.erase(it);
  loop_.remove(raw);
  const int err = net::connect_result(raw);
  auto verdict = scan::classify_connect(err);
  if (!verdict) {
    // A local failure (e.g. ENOBUFS) says nothing about the port: let the timeout retry it.
    return;
  }
  const bool open = verdict->state == scan::PortState::open;
  const bool grab = open && banners_;
  auto rtt = engine_.complete(key, *verdict, now, !grab);
  if (grab && rtt) {
    banners_->read(std::move(fd), PortResult{key.addr, key.port, *verdict, rtt, std::nullopt});
    return;
  }
  abort_close(fd);
}

void ConnectScanner::abandon(const Probe& probe) {
  auto it = sockets_.find(probe.key);
  if (it == sockets_.end()) return;
  loop_.remove(it->second.get());
  sockets_.erase(it);  // a connect still in SYN_SENT: closing just drops it
}

}  // namespace nt::portscan
