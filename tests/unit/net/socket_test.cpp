// The kernel behaviour the connect scan's socket reuse rests on (loopback only).
#include <doctest/doctest.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

#include "net/socket.hpp"

using namespace nt;

namespace {
// A port nobody listens on: held bound (not listening), so a SYN to it is answered with a RST.
net::UniqueFd closed_port(net::SocketAddress& where) {
  net::UniqueFd fd = net::make_socket(AF_INET, SOCK_STREAM);
  const auto lo = *net::SocketAddress::from_ip("127.0.0.1", 0);
  REQUIRE(::bind(fd.get(), lo.get(), lo.size()) == 0);
  where = net::local_address(fd.get());
  return fd;
}
int settle(int fd, const net::SocketAddress& to) {
  pollfd p{fd, POLLOUT, 0};
  REQUIRE(::poll(&p, 1, 2000) == 1);
  return net::connect_again(fd, to);
}
}  // namespace

TEST_CASE("connect_again: a refused socket reports the refusal, then connects anew") {
  net::SocketAddress first, second;
  net::UniqueFd hold1 = closed_port(first), hold2 = closed_port(second);
  int err = 0;
  net::UniqueFd fd = net::start_connect(first, err);
  REQUIRE(fd);
  CHECK((err == EINPROGRESS || err == ECONNREFUSED));
  if (err == EINPROGRESS) CHECK(settle(fd.get(), first) == ECONNREFUSED);
  err = net::connect_again(fd.get(), second);  // disconnected by the refusal: a fresh attempt
  CHECK((err == EINPROGRESS || err == ECONNREFUSED));
  if (err == EINPROGRESS) CHECK(settle(fd.get(), second) == ECONNREFUSED);
}
