#include "subcommands/portscan/sync_connect.hpp"

#include <cerrno>
#include <fstream>
#include <random>

#include "net/socket.hpp"
#include "net/socket_handle.hpp"
#include "sys/clock.hpp"

namespace nt::portscan {

namespace {

std::size_t family_index(int family) noexcept {
  return family == AF_INET6 ? 1 : 0;
}

struct PortRange {
  int low = 32768, high = 60999;  // the kernel's default
};

// Our ports come from the range the kernel itself hands out for outgoing connections.
PortRange local_port_range() {
  static const PortRange range = [] {
    PortRange r;
    std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
    PortRange read;
    if (in >> read.low >> read.high && read.low > 0 && read.low <= read.high && read.high < 65536) r = read;
    return r;
  }();
  return range;
}

// A port bound by number stays the socket's across disconnects (SOCK_BINDPORT_LOCK); an automatic
// one is released by each refused connect and searched for again by the next (__inet_hash_connect,
// 9% of a loopback connect scan). Unbound when the ports tried are taken: connect picks one then.
void bind_own_port(int fd, int family) {
  static thread_local std::minstd_rand pick(std::random_device{}());
  const PortRange range = local_port_range();
  for (int attempt = 0; attempt < 8; ++attempt) {
    const auto port = static_cast<uint16_t>(std::uniform_int_distribution<int>(range.low, range.high)(pick));
    const net::SocketAddress any = net::SocketAddress::any(family, port);
    if (net::SocketHandle(fd).bind(any) != -EADDRINUSE) return;
  }
}

net::UniqueFd open_socket(int family, int& err) {
  const int raw = net::try_socket(family, SOCK_STREAM);
  if (raw < 0) {
    err = -raw;
    return net::UniqueFd();
  }
  net::UniqueFd fd(raw);
  // One microsecond rounds up to one jiffy (sock_set_timeout): the shortest wait connect(2) allows.
  if (const int rc =
          net::SocketHandle(fd).set_timeval(net::sockopt("SO_SNDTIMEO"), std::chrono::microseconds(1));
      rc != 0) {
    err = -rc;
    return net::UniqueFd();
  }
  bind_own_port(fd.get(), family);
  return fd;
}

}  // namespace

bool SyncConnector::charge(std::chrono::nanoseconds took, int err) noexcept {
  if (err == EINPROGRESS || took > kWaited) lost_ += took;
  if (lost_ > kBudget) active_ = false;
  return active_;
}

net::UniqueFd SyncConnector::connect(const net::SocketAddress& address, int& err) {
  auto& pool = idle_[family_index(address.family())];
  net::UniqueFd fd;
  if (!pool.empty()) {
    fd = std::move(pool.back());
    pool.pop_back();
  } else if (fd = open_socket(address.family(), err); !fd) {
    return fd;
  }
  const auto start = sys::MonoClock::now();
  // EINTR (reported as EINPROGRESS): a signal cut the wait short; the handshake goes on in the
  // background, as on a timeout.
  err = -net::SocketHandle(fd).connect(address);
  if (err == EALREADY) err = EINPROGRESS;
  charge(sys::MonoClock::now() - start, err);
  if (err == 0 || err == EINPROGRESS) net::set_nonblocking(fd.get());
  return fd;
}

void SyncConnector::give_back(net::UniqueFd fd, int family) {
  idle_[family_index(family)].push_back(std::move(fd));
}

}  // namespace nt::portscan
