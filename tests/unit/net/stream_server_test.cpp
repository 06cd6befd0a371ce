// The core stream server with a handler of its own, on an abstract unix socket (no network): a
// handler can write to another connection of its loop (what chat's broadcast needs), close with a
// reason, and sees every close; the thread runner propagates a failing task.
#include <doctest/doctest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "event/threads.hpp"
#include "net/io.hpp"
#include "net/stream_server.hpp"

using namespace nt;

namespace {
// Every line a connection sends goes to every other connection; "quit" closes the sender.
class Broadcast final : public net::StreamHandler {
 public:
  std::set<net::ServerConnection*> members;
  std::vector<std::string>* closes;

  explicit Broadcast(std::vector<std::string>* c) : closes(c) {}
  void on_open(net::ServerConnection& c) override { members.insert(&c); }
  void on_data(net::ServerConnection& c, std::span<const std::byte> data) override {
    std::string_view text(reinterpret_cast<const char*>(data.data()), data.size());
    if (text == "quit") return c.close("quit");
    for (auto* other : members) {
      if (other != &c) CHECK(other->write(data));
    }
  }
  void on_close(net::ServerConnection& c, std::string_view reason) override {
    members.erase(&c);
    closes->push_back(std::string(reason));
  }
};

net::UniqueFd connect_to(const net::SocketAddress& addr) {
  net::UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  REQUIRE(::connect(fd.get(), addr.get(), addr.size()) == 0);
  return fd;
}

std::string receive(int fd, std::size_t n) {
  std::string got(n, '\0');
  ssize_t r = net::recv_all(fd, std::as_writable_bytes(std::span(got)), std::chrono::milliseconds(5000));
  got.resize(r > 0 ? static_cast<std::size_t>(r) : 0);
  return got;
}
}  // namespace

TEST_CASE("stream server: a handler writes to another connection; close carries the reason") {
  auto name = "nettool-unit-" + std::to_string(::getpid());
  std::vector<std::string> closes;
  net::StreamServerConfig cfg;
  net::StreamServer server(net::SocketAddress::abstract(name), cfg,
                           [&](std::size_t) { return std::make_unique<Broadcast>(&closes); });
  std::thread runner([&] { (void)server.run(); });
  net::UniqueFd alice = connect_to(server.local_address());
  net::UniqueFd bob = connect_to(server.local_address());
  // Both must be open before alice speaks: the server accepted bob once bob's echo of a ping arrives.
  for (int i = 0; i < 100; ++i) {
    REQUIRE(net::send_all(bob.get(), net::as_bytes("ping")) == 0);
    struct pollfd p {
      alice.get(), POLLIN, 0
    };
    if (::poll(&p, 1, 50) == 1) break;
  }
  std::string seen = receive(alice.get(), 4);
  CHECK(seen == "ping");
  REQUIRE(net::send_all(alice.get(), net::as_bytes("hello")) == 0);
  CHECK(receive(bob.get(), 5) == "hello");
  REQUIRE(net::send_all(alice.get(), net::as_bytes("quit")) == 0);
  timeval five{5, 0};
  REQUIRE(::setsockopt(alice.get(), SOL_SOCKET, SO_RCVTIMEO, &five, sizeof five) == 0);
  char buf[64];
  ssize_t n = 0;
  for (int guard = 0; guard < 100 && (n = ::recv(alice.get(), buf, sizeof buf, 0)) > 0; ++guard) {
  }
  CHECK(n == 0);  // closed by the server (after any late "ping")
  server.stop();
  runner.join();
  REQUIRE(closes.size() == 2);
  CHECK(closes[0] == "quit");
  CHECK(closes[1] == "shutdown");
  CHECK(server.totals().connections == 2);
}

TEST_CASE("run_on_threads: a failing task stops the others and its exception comes back") {
  event::EventLoop a(false), b(false);
  a.add_timer(std::chrono::seconds(30), [] {});
  b.add_timer(std::chrono::seconds(30), [] {});
  std::vector<std::function<void()>> tasks{[&] { a.run(); }, [&] { b.run(); },
                                           [] { throw std::runtime_error("boom"); }};
  CHECK_THROWS_WITH(event::run_on_threads(tasks,
                                          [&] {
                                            a.stop();
                                            b.stop();
                                          }),
                    "boom");
}
