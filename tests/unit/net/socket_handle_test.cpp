// The non-owning socket handle and the throwing helpers' messages (loopback only).
#include <doctest/doctest.h>
#include <netinet/in.h>

#include <array>
#include <cstring>

#include "net/socket_calls.hpp"
#include "sys/error.hpp"

using namespace nt;

namespace {
net::SocketAddress loopback(uint16_t port = 0) {
  return *net::SocketAddress::from_ip("127.0.0.1", port);
}
}  // namespace

TEST_CASE("socket handle: bind, listen, connect with timeout, accept, send, recv, shutdown") {
  net::UniqueFd server = net::open_socket(AF_INET, SOCK_STREAM);
  net::SocketHandle srv(server);
  net::bind_or_throw(srv, loopback());
  REQUIRE(srv.listen(8) == 0);
  net::SocketAddress where;
  REQUIRE(srv.local_address(where) == 0);
  CHECK(where.port() != 0);

  net::UniqueFd client = net::open_socket(AF_INET, SOCK_STREAM, 0, true);
  net::SocketHandle cli(client);
  REQUIRE(cli.connect(where, std::chrono::milliseconds(2000)) == 0);
  net::SocketAddress peer;
  net::UniqueFd conn(srv.accept(&peer, 0));
  REQUIRE(conn.valid());
  net::SocketAddress client_local;
  REQUIRE(cli.local_address(client_local) == 0);
  CHECK(peer == client_local);
  net::SocketAddress client_peer;
  REQUIRE(cli.peer_address(client_peer) == 0);
  CHECK(client_peer == where);

  const std::array<std::byte, 3> hello{std::byte{'h'}, std::byte{'i'}, std::byte{'!'}};
  CHECK(cli.send(hello) == 3);
  REQUIRE(cli.shutdown(SHUT_WR) == 0);
  std::array<std::byte, 8> buf{};
  net::SocketHandle c(conn);
  CHECK(c.recv(buf) == 3);
  CHECK(c.recv(buf) == 0);  // orderly EOF after shutdown
}

TEST_CASE("socket handle: errors are -errno, and helpers name the call and address") {
  net::UniqueFd a = net::open_socket(AF_INET, SOCK_DGRAM);
  net::SocketHandle s(a);
  REQUIRE(s.bind(loopback()) == 0);
  CHECK(s.bind(loopback()) == -EINVAL);  // already bound
  CHECK(net::describe_call_error("bind", loopback(80), EACCES) ==
        "bind 127.0.0.1:80: Permission denied — needs CAP_NET_BIND_SERVICE");
  CHECK(net::describe_call_error("bind", loopback(8080), EADDRINUSE) ==
        "bind 127.0.0.1:8080: Address already in use");
  CHECK_THROWS_AS(net::throw_call_error("bind", loopback(80), EACCES), PrivilegeError);
  try {
    net::bind_or_throw(s, loopback());
    FAIL("bind twice must throw");
  } catch (const std::system_error& e) {
    CHECK(std::string(e.what()).find("bind 127.0.0.1:0") == 0);
    CHECK(e.code().value() == EINVAL);
  }
}

TEST_CASE("socket handle: connect with timeout reports a refusal") {
  net::UniqueFd hold = net::open_socket(AF_INET, SOCK_STREAM);
  net::SocketHandle h(hold);
  REQUIRE(h.bind(loopback()) == 0);  // bound, not listening: a SYN to it gets a RST
  net::SocketAddress closed;
  REQUIRE(h.local_address(closed) == 0);
  net::UniqueFd fd = net::open_socket(AF_INET, SOCK_STREAM, 0, true);
  CHECK(net::SocketHandle(fd).connect(closed, std::chrono::milliseconds(2000)) == -ECONNREFUSED);
}

TEST_CASE("socket handle: try_socket, SO_LINGER and raw option bytes") {
  CHECK(net::try_socket(12345, SOCK_DGRAM) == -EAFNOSUPPORT);
  const int raw = net::try_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK);
  REQUIRE(raw >= 0);
  net::UniqueFd fd(raw);
  net::SocketHandle s(fd);
  REQUIRE(s.set_linger(true, 0) == 0);
  linger l{};
  socklen_t len = 0;
  REQUIRE(s.get_bytes(net::sockopt("SO_LINGER"), std::as_writable_bytes(std::span(&l, 1)), len) == 0);
  CHECK(len == sizeof l);
  CHECK(l.l_onoff == 1);
  CHECK(l.l_linger == 0);
  int type = 0;
  REQUIRE(s.get_int(net::sockopt("SO_TYPE"), type) == 0);
  CHECK(net::value_name(net::sockopt("SO_TYPE"), type) == "stream");
}
