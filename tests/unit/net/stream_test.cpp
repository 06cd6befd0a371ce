// SocketStream over a socketpair: each IoResult the event-loop callers rely on.
#include <doctest/doctest.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string_view>

#include "net/stream.hpp"

using namespace nt;
using Status = net::IoResult::Status;

namespace {
struct Pair {
  net::SocketStream a;
  net::SocketStream b;
};
Pair make_pair() {
  int fds[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, fds) == 0);
  return Pair{net::SocketStream(net::UniqueFd(fds[0])), net::SocketStream(net::UniqueFd(fds[1]))};
}
std::span<const std::byte> bytes(std::string_view s) {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}
}  // namespace

TEST_CASE("SocketStream: handshake is immediate, data moves, an empty socket wants read") {
  auto [a, b] = make_pair();
  CHECK(a.handshake().ok());
  CHECK(a.buffered() == 0);
  std::array<std::byte, 16> buf{};
  net::IoResult r = b.read(buf);
  CHECK(r.status == Status::want_read);
  CHECK(r.would_block());
  r = a.write(bytes("hello"));
  REQUIRE(r.ok());
  CHECK(r.bytes == 5);
  r = b.read(buf);
  REQUIRE(r.ok());
  CHECK(r.bytes == 5);
  CHECK(std::string_view(reinterpret_cast<const char*>(buf.data()), 5) == "hello");
}

TEST_CASE("SocketStream: a full socket wants write; shutdown_write gives the peer eof") {
  auto [a, b] = make_pair();
  std::array<std::byte, 65536> chunk{};
  net::IoResult r;
  int rounds = 0;
  do {
    r = a.write(chunk);
  } while (r.ok() && ++rounds < 10000);
  CHECK(r.status == Status::want_write);
  std::array<std::byte, 65536> sink{};
  while (b.read(sink).ok()) {
  }
  CHECK(a.shutdown_write().ok());
  CHECK(b.read(sink).status == Status::eof);
}

TEST_CASE("SocketStream: writing to a closed peer is an error with words, never SIGPIPE") {
  auto [a, b] = make_pair();
  (void)b.release_fd();  // the UniqueFd returned here closes b's end
  net::IoResult r = a.write(bytes("x"));
  REQUIRE(r.status == Status::error);
  CHECK(r.error == EPIPE);
  CHECK(a.error_text() == std::string(std::strerror(EPIPE)));
  std::array<std::byte, 4> buf{};
  CHECK(a.read(std::span(buf).first(0)).ok());  // an empty read is not the peer's eof
}

TEST_CASE("plain_stream wraps the socket; complete_handshake returns at once") {
  int fds[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, fds) == 0);
  net::UniqueFd other(fds[1]);
  auto s = net::plain_stream(net::UniqueFd(fds[0]), net::SocketAddress{});
  CHECK(s->fd() == fds[0]);
  CHECK(net::complete_handshake(*s, std::chrono::milliseconds(100)).ok());
}
