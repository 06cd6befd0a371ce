// TCP connect scan: non-blocking connect(2) per probe on the event loop; no privilege needed.
// The connecting sockets live in an event::ReadinessGroup (an epoll set the loop sees as one fd): close(2)
// drops a socket from it without an epoll_ctl, and one readiness callback drains a whole batch.
// A refused socket is not closed but connected again to the next probe (see net::connect_again), so a
// closed port costs two connect(2) calls instead of socket, connect, getsockopt, epoll_ctl and close.
// Targets on this host get one blocking connect(2) per port instead, while that pays (SyncConnector).
#pragma once
#include <array>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "event/readiness_group.hpp"
#include "subcommands/portscan/banner.hpp"
#include "subcommands/portscan/engine.hpp"
#include "subcommands/portscan/sync_connect.hpp"

namespace nt::portscan {

class ConnectScanner : public Transport {
 public:
  ConnectScanner(event::EventLoop& loop, Engine& engine, const Plan& plan);
  ~ConnectScanner() override;
  SendResult send(const Probe& probe) override;
  void abandon(const Probe& probe) override;
  void settle_ready() override;
  std::size_t extra_work() const override { return banners_ ? banners_->pending() : 0; }

 private:
  void drain();
  int read_events();  // one batch of readiness events; returns how many
  void refill();      // the engine's next probes go out on the sockets freed by refused connects
  std::size_t idle_count() const noexcept;
  void on_ready(int fd);
  net::UniqueFd reconnect_idle(const net::SocketAddress& address, int& err);
  void track(net::UniqueFd fd, const ProbeKey& key, bool watched);

  event::EventLoop& loop_;
  Engine& engine_;
  event::ReadinessGroup group_;
  std::unordered_map<ProbeKey, net::UniqueFd, ProbeKeyHash> sockets_;
  std::vector<std::optional<ProbeKey>> key_of_fd_;
  // Per family (IPv4, IPv6): sockets disconnected after a refused connect, still in group_.
  std::array<std::vector<net::UniqueFd>, 2> idle_;
  SyncConnector sync_;
  std::unique_ptr<BannerReader> banners_;
};

// Descriptors the scan may hold at once: --concurrency, else RLIMIT_NOFILE (raised to its hard limit)
// minus a reserve for stdio, the loop and capture handles.
std::size_t connection_budget(const Plan& plan);

}  // namespace nt::portscan
