// net::describe_socket: identity of real sockets of each kind, and refusal of non-sockets.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net/socket.hpp"
#include "net/socket_calls.hpp"
#include "net/socket_description.hpp"

using namespace nt;

TEST_CASE("socket description: a listening TCP socket and a connected pair") {
  net::UniqueFd server = net::listen_on(*net::SocketAddress::from_ip("127.0.0.1", 0));
  const net::SocketAddress bound = net::local_address(server.get());
  const net::SocketDescription l = net::describe_socket(net::SocketHandle(server));
  CHECK(l.family == AF_INET);
  CHECK(l.type == SOCK_STREAM);
  CHECK(l.protocol == IPPROTO_TCP);
  CHECK(l.listening);
  CHECK(l.nonblocking);  // listen_on's default
  CHECK(l.kind() == "tcp");
  REQUIRE(l.local);
  CHECK(*l.local == bound);
  CHECK_FALSE(l.peer);
  struct stat st {};
  REQUIRE(::fstat(server.get(), &st) == 0);
  CHECK(l.inode == st.st_ino);

  const net::Connection c = net::connect_any(std::span(&bound, 1), std::chrono::seconds(2));
  const net::SocketDescription d = net::describe_socket(net::SocketHandle(c.fd));
  CHECK_FALSE(d.listening);
  REQUIRE(d.peer);
  CHECK(*d.peer == bound);
  const output::Json j = d.to_json();
  CHECK(j["family"] == "inet");
  CHECK(j["socket_type"] == "stream");
  CHECK(j["protocol"] == "tcp");
  CHECK(j["peer_address"] == bound.to_string());
  CHECK(j["listening"] == false);
  CHECK(d.summary() == fmt::format("tcp {} -> {}", d.local->to_string(), bound.to_string()));
}

TEST_CASE("socket description: kinds and JSON of unbound sockets") {
  struct Case {
    int family, type, protocol;
    const char* kind;
  };
  for (Case c : {Case{AF_INET6, SOCK_DGRAM, 0, "udp6"}, Case{AF_INET, SOCK_DGRAM, 0, "udp"},
                 Case{AF_UNIX, SOCK_STREAM, 0, "unix-stream"}, Case{AF_UNIX, SOCK_DGRAM, 0, "unix-dgram"},
                 Case{AF_UNIX, SOCK_SEQPACKET, 0, "unix-seqpacket"}}) {
    net::UniqueFd fd = net::open_socket(c.family, c.type, c.protocol);
    const net::SocketDescription d = net::describe_socket(net::SocketHandle(fd));
    CHECK_MESSAGE(d.kind() == c.kind, c.kind);
    CHECK_FALSE(d.peer);
    CHECK_FALSE(d.listening);
    const output::Json j = d.to_json();
    CHECK(j["peer_address"].is_null());
    if (c.family == AF_UNIX) {
      CHECK(j["protocol"] == 0);
      CHECK(j["local_address"] == "unix:(unnamed)");
    }
  }
}

TEST_CASE("socket description: a record gets the fields after its own") {
  net::UniqueFd fd = net::open_socket(AF_INET, SOCK_DGRAM);
  output::Record rec("socket");
  rec.set("fd", fd.get());
  net::describe_socket(net::SocketHandle(fd)).add_to(rec);
  auto it = rec.data.begin();
  CHECK(it.key() == "type");
  CHECK((++it).key() == "fd");
  CHECK((++it).key() == "family");
  CHECK(rec.data["type"] == "socket");
}

TEST_CASE("socket description: a descriptor that is no socket, and a closed one") {
  int pipe_fds[2];
  REQUIRE(::pipe2(pipe_fds, O_CLOEXEC) == 0);
  net::UniqueFd r(pipe_fds[0]), w(pipe_fds[1]);
  net::SocketDescription d;
  CHECK(net::describe_socket(net::SocketHandle(r.get()), d) == -ENOTSOCK);
  CHECK_THROWS_AS(net::describe_socket(net::SocketHandle(r.get())), std::system_error);
  CHECK(net::describe_socket(net::SocketHandle(9999), d) == -EBADF);
}
