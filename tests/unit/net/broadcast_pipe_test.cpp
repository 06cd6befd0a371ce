// The broadcast pipe (chat fan-out without a copy per peer): every recipient gets the chunk from its
// first byte, a socket that takes only part of it leaves nothing behind for the next one, and a new
// chunk replaces the old.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <thread>

#include "net/broadcast_pipe.hpp"

using namespace nt;

namespace {
struct TcpPair {
  net::UniqueFd sender, receiver;
};

// A loopback TCP connection; the sending end non-blocking, as the stream server's are.
TcpPair tcp_pair(int send_buffer = 0) {
  net::UniqueFd listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  REQUIRE(::bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), len) == 0);
  REQUIRE(::listen(listener.get(), 1) == 0);
  REQUIRE(::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  TcpPair p;
  p.receiver = net::UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  REQUIRE(::connect(p.receiver.get(), reinterpret_cast<sockaddr*>(&addr), len) == 0);
  p.sender = net::UniqueFd(::accept4(listener.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
  REQUIRE(p.sender.valid());
  if (send_buffer > 0) {
    REQUIRE(::setsockopt(p.sender.get(), SOL_SOCKET, SO_SNDBUF, &send_buffer, sizeof send_buffer) == 0);
    REQUIRE(::setsockopt(p.receiver.get(), SOL_SOCKET, SO_RCVBUF, &send_buffer, sizeof send_buffer) == 0);
  }
  return p;
}

std::string read_exactly(int fd, std::size_t n) {
  std::string got(n, '\0');
  for (std::size_t at = 0; at < n;) {
    ssize_t r = ::read(fd, got.data() + at, n - at);
    REQUIRE(r > 0);
    at += static_cast<std::size_t>(r);
  }
  return got;
}

net::BroadcastPipe::Chunk chunk_of(std::size_t size, char seed) {
  std::string s(size, '\0');
  for (std::size_t i = 0; i < size; ++i) s[i] = static_cast<char>(seed + i % 61);
  return std::make_shared<const std::string>(std::move(s));
}
}  // namespace

TEST_CASE("broadcast pipe: each recipient gets the whole chunk; small chunks are refused") {
  net::BroadcastPipe pipe;
  CHECK_FALSE(pipe.offer(chunk_of(net::BroadcastPipe::kMinBytes - 1, 'a')));
  auto chunk = chunk_of(100 * 1024, 'a');
  REQUIRE(pipe.offer(chunk));
  CHECK(pipe.offer(chunk));  // already loaded
  for (int peer = 0; peer < 3; ++peer) {
    TcpPair p = tcp_pair();
    auto r = pipe.send_to(p.sender.get());
    REQUIRE(r.has_value());
    REQUIRE(r->ok());
    REQUIRE(r->bytes == chunk->size());
    CHECK(read_exactly(p.receiver.get(), chunk->size()) == *chunk);
  }
  auto next = chunk_of(40 * 1024, 'k');
  REQUIRE(pipe.offer(next));
  TcpPair p = tcp_pair();
  auto r = pipe.send_to(p.sender.get());
  REQUIRE((r && r->ok() && r->bytes == next->size()));
  CHECK(read_exactly(p.receiver.get(), next->size()) == *next);
}

TEST_CASE("broadcast pipe: a full socket takes a prefix; the next recipient still starts at byte 0") {
  net::BroadcastPipe pipe;
  auto chunk = chunk_of(900 * 1024, 'A');
  REQUIRE(pipe.offer(chunk));
  TcpPair slow = tcp_pair(4096);  // nobody reads it: it takes far less than the chunk
  auto partial = pipe.send_to(slow.sender.get());
  REQUIRE((partial && partial->ok()));
  CHECK(partial->bytes > 0);
  CHECK(partial->bytes < chunk->size());
  auto again = pipe.send_to(slow.sender.get());  // still full
  REQUIRE(again.has_value());
  CHECK(again->status == net::IoResult::Status::want_write);

  TcpPair fresh = tcp_pair();
  std::string got;
  std::thread reader([&] { got = read_exactly(fresh.receiver.get(), chunk->size()); });
  std::size_t sent = 0;
  auto r = pipe.send_to(fresh.sender.get());
  REQUIRE((r && r->ok()));
  sent = r->bytes;
  // What the socket did not take goes the ordinary way (the server queues it).
  for (int spins = 0; sent < chunk->size() && spins < 100000; ++spins) {
    ssize_t n = ::send(fresh.sender.get(), chunk->data() + sent, chunk->size() - sent, MSG_NOSIGNAL);
    if (n > 0)
      sent += static_cast<std::size_t>(n);
    else
      ::usleep(100);
  }
  reader.join();
  CHECK(got == *chunk);
  CHECK(read_exactly(slow.receiver.get(), partial->bytes) == chunk->substr(0, partial->bytes));
}
