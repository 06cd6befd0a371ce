// The connect scan's fast path for targets on this host. When the target is reached over loopback or
// a veth into a namespace, the kernel processes its answer to our SYN (the RST of a closed port, the
// SYN-ACK of an open one) before connect(2) returns: the softirq runs on the sending CPU, and the
// answer waits in the socket backlog until connect's release_sock. A blocking connect(2) then returns
// the verdict itself: one system call per closed port and no epoll registration (so no wakeups),
// where the event-driven path needs a non-blocking connect, an epoll event and a second connect.
//
// Blocking is bounded: SO_SNDTIMEO rounds up to one scheduler tick, after which connect(2) says
// EINPROGRESS and the handshake carries on in the background. Every connect that waited (longer than
// the fast path ever takes) or timed out is charged to a budget; once the path has cost more than the
// budget, the answers evidently come from elsewhere and the scanner stays on the event-driven path.
#pragma once
#include <array>
#include <chrono>
#include <vector>

#include "net/address.hpp"
#include "net/fd.hpp"

namespace nt::portscan {

class SyncConnector {
 public:
  // A connect that answers later than this waited for the network, not for our own softirq.
  static constexpr std::chrono::microseconds kWaited{100};
  // Time the path may lose to waiting before it is given up: a few timeouts, or a LAN's round trips.
  static constexpr std::chrono::milliseconds kBudget{20};

  bool active() const noexcept { return active_; }
  // Connects a socket from the pool (or a new one) to `address`. Returns it with `err` as connect(2)
  // says: 0 (connected), EINPROGRESS (still connecting), or the failure. A connected or connecting
  // socket is returned non-blocking, ready for the event-driven path. No socket: err says why.
  net::UniqueFd connect(const net::SocketAddress& address, int& err);
  // A socket whose connect failed: the kernel disconnected it, so it can connect again.
  void give_back(net::UniqueFd fd, int family);
  // Charges one connect's duration; pure, for tests. Returns the budget still active.
  bool charge(std::chrono::nanoseconds took, int err) noexcept;

 private:
  std::array<std::vector<net::UniqueFd>, 2> idle_;  // per family: IPv4, IPv6
  std::chrono::nanoseconds lost_{0};
  bool active_ = true;
};

}  // namespace nt::portscan
