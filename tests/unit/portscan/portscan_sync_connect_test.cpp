// SyncConnector: the budget arithmetic, and the kernel behaviour the fast path relies on, on loopback.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>

#include "net/socket.hpp"
#include "subcommands/portscan/sync_connect.hpp"

using namespace nt;
using namespace std::chrono_literals;
using nt::portscan::SyncConnector;

namespace {
// A loopback port nobody listens on: bound once by us, then released.
net::SocketAddress closed_port() {
  net::UniqueFd probe = net::make_socket(AF_INET, SOCK_STREAM);
  const auto lo = *net::SocketAddress::from_ip("127.0.0.1", 0);
  REQUIRE(::bind(probe.get(), lo.get(), lo.size()) == 0);
  return net::local_address(probe.get());
}
}  // namespace

TEST_CASE("sync connect: fast answers cost nothing, waits and timeouts spend the budget") {
  SyncConnector sync;
  bool active = true;
  for (int i = 0; i < 100'000; ++i) active = sync.charge(20us, ECONNREFUSED) && active;
  CHECK(active);
  CHECK(sync.charge(SyncConnector::kWaited, 0));  // not longer than the limit: still the fast path
  CHECK(sync.charge(10ms, ECONNREFUSED));         // a LAN-like wait: charged, within budget
  CHECK(sync.charge(4ms, EINPROGRESS));           // one timeout (a jiffy at 250 Hz)
  CHECK(sync.charge(1us, EINPROGRESS));           // a timeout is charged whatever it took
  CHECK_FALSE(sync.charge(7ms, EINPROGRESS));     // 21 ms lost: over the 20 ms budget
  CHECK_FALSE(sync.active());
  CHECK_FALSE(sync.charge(1us, 0));  // and it stays off
}

TEST_CASE("sync connect on loopback: refused in the call itself, the socket and its port reused") {
  net::UniqueFd listener = net::listen_on(*net::SocketAddress::from_ip("127.0.0.1", 0));
  const net::SocketAddress open = net::local_address(listener.get());
  const net::SocketAddress closed = closed_port();

  SyncConnector sync;
  int err = 0;
  net::UniqueFd fd = sync.connect(closed, err);
  REQUIRE(fd);
  CHECK(err == ECONNREFUSED);  // the RST was handled before connect(2) returned
  const int raw = fd.get();
  const uint16_t source_port = net::local_address(raw).port();
  CHECK(source_port != 0);  // bound by number, so the refusal did not release it
  CHECK((::fcntl(raw, F_GETFL) & O_NONBLOCK) == 0);
  sync.give_back(std::move(fd), AF_INET);

  fd = sync.connect(closed, err);
  CHECK(fd.get() == raw);  // the same socket, connected again
  CHECK(err == ECONNREFUSED);
  CHECK(net::local_address(raw).port() == source_port);
  sync.give_back(std::move(fd), AF_INET);

  fd = sync.connect(open, err);
  CHECK(fd.get() == raw);
  CHECK(err == 0);
  CHECK(net::peer_address(raw) == open);
  CHECK((::fcntl(raw, F_GETFL) & O_NONBLOCK) != 0);  // handed on non-blocking
  CHECK(sync.active());
}
