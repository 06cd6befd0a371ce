// TCP connect scan: non-blocking connect(2) per probe on the event loop; no privilege needed.
// The connecting sockets live in an epoll set of their own, registered with the loop as one fd: close(2)
// drops a socket from it without an epoll_ctl, and one readiness callback drains a whole batch.
#pragma once
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "subcommands/portscan/banner.hpp"
#include "subcommands/portscan/engine.hpp"

namespace nt::portscan {

class ConnectScanner : public Transport {
 public:
  ConnectScanner(event::EventLoop& loop, Engine& engine, const Plan& plan);
  ~ConnectScanner() override;
  SendResult send(const Probe& probe) override;
  void abandon(const Probe& probe) override;
  std::size_t extra_work() const override { return banners_ ? banners_->pending() : 0; }

 private:
  void drain();
  void on_ready(int fd);

  event::EventLoop& loop_;
  Engine& engine_;
  net::UniqueFd epoll_;
  std::unordered_map<ProbeKey, net::UniqueFd, ProbeKeyHash> sockets_;
  std::vector<std::optional<ProbeKey>> key_of_fd_;
  std::unique_ptr<BannerReader> banners_;
};

// Descriptors the scan may hold at once: --concurrency, else RLIMIT_NOFILE (raised to its hard limit)
// minus a reserve for stdio, the loop and capture handles.
std::size_t connection_budget(const Plan& plan);

}  // namespace nt::portscan
