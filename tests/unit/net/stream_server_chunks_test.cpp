// The stream server's output queue of shared chunks (chat's fan-out): queued by reference, flushed in
// order through gather writes and partial writes, and drop_queued() never cuts a chunk in half.
#include <doctest/doctest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <thread>

#include "net/io.hpp"
#include "net/stream_server.hpp"

using namespace nt;

namespace {
constexpr int kChunks = 3000;  // 3 MB: far past a unix socket's buffer, so most of it is queued

std::string line(int i, std::size_t size = 1000) {
  std::string s = std::to_string(i);
  s.resize(size - 1, static_cast<char>('a' + i % 26));
  return s + "\n";
}
constexpr int kBigChunks = 40;
constexpr std::size_t kBigChunk = 64 * 1024;  // past BroadcastPipe::kMinBytes: tee + splice

// "all": every chunk, shared. "drop": every chunk, then drop_queued, then "END\n" and close.
class Chunks final : public net::StreamHandler {
 public:
  void on_data(net::ServerConnection& c, std::span<const std::byte> data) override {
    std::string_view cmd(reinterpret_cast<const char*>(data.data()), data.size());
    if (cmd == "big") {
      for (int i = 0; i < kBigChunks; ++i)
        CHECK(c.write(std::make_shared<const std::string>(line(i, kBigChunk))));
      return;
    }
    for (int i = 0; i < kChunks; ++i) CHECK(c.write(std::make_shared<const std::string>(line(i))));
    if (cmd == "drop") {
      CHECK(c.drop_queued() > 0);
      CHECK(c.write(net::as_bytes("END\n")));
      c.close("done");
    }
  }
};

std::string read_all(int fd) {
  std::string got;
  char buf[65536];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) got.append(buf, static_cast<std::size_t>(n));
  return got;
}

net::UniqueFd connect_to(const net::SocketAddress& addr) {
  net::UniqueFd fd(::socket(addr.family(), SOCK_STREAM | SOCK_CLOEXEC, 0));
  REQUIRE(::connect(fd.get(), addr.get(), addr.size()) == 0);
  return fd;
}
}  // namespace

TEST_CASE("stream server: shared chunks arrive whole and in order; drop_queued keeps chunk boundaries") {
  auto name = "nettool-unit-chunks-" + std::to_string(::getpid());
  net::StreamServer server(net::SocketAddress::abstract(name), net::StreamServerConfig{},
                           [](std::size_t) { return std::make_unique<Chunks>(); });
  std::thread runner([&] { (void)server.run(); });

  net::UniqueFd all = connect_to(server.local_address());
  REQUIRE(net::send_all(all.get(), net::as_bytes("all")) == 0);
  std::string expected;
  for (int i = 0; i < kChunks; ++i) expected += line(i);
  std::string got;
  char buf[4096];  // small reads: the server meets a full socket again and again
  while (got.size() < expected.size()) {
    ssize_t n = ::read(all.get(), buf, sizeof buf);
    REQUIRE(n > 0);
    got.append(buf, static_cast<std::size_t>(n));
  }
  CHECK(got == expected);

  net::UniqueFd dropped = connect_to(server.local_address());
  REQUIRE(net::send_all(dropped.get(), net::as_bytes("drop")) == 0);
  std::string rest = read_all(dropped.get());
  REQUIRE(rest.size() >= 4);
  CHECK(rest.substr(rest.size() - 4) == "END\n");
  std::string body = rest.substr(0, rest.size() - 4);
  CHECK(body.size() % 1000 == 0);  // whole chunks only
  CHECK(body.size() < expected.size());
  CHECK(expected.compare(0, body.size(), body) == 0);

  server.stop();
  runner.join();
}

TEST_CASE("stream server: large shared chunks (spliced) arrive whole and in order to a slow TCP reader") {
  net::StreamServer server(*net::SocketAddress::from_ip("127.0.0.1", 0), net::StreamServerConfig{},
                           [](std::size_t) { return std::make_unique<Chunks>(); });
  std::thread runner([&] { (void)server.run(); });
  net::UniqueFd conn = connect_to(server.local_address());
  REQUIRE(net::send_all(conn.get(), net::as_bytes("big")) == 0);
  std::string expected;
  for (int i = 0; i < kBigChunks; ++i) expected += line(i, kBigChunk);
  std::string got;
  char buf[4096];  // small reads: splices meet a full socket and the rest is queued
  while (got.size() < expected.size()) {
    ssize_t n = ::read(conn.get(), buf, sizeof buf);
    REQUIRE(n > 0);
    got.append(buf, static_cast<std::size_t>(n));
  }
  CHECK(got == expected);
  server.stop();
  runner.join();
}
