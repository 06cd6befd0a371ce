// SCM_RIGHTS over a socketpair: descriptors arrive close-on-exec with the sender's credentials; a
// control buffer too small for them reports MSG_CTRUNC; SO_PEERCRED names this process.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <array>
#include <string_view>
#include <vector>

#include "net/fd_passing.hpp"
#include "net/io.hpp"

using namespace nt;

namespace {
struct Pair {
  net::UniqueFd a, b;
  Pair() {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
    a.reset(fds[0]);
    b.reset(fds[1]);
  }
};
}  // namespace

TEST_CASE("fd passing: descriptors and credentials arrive") {
  Pair p;
  REQUIRE(net::enable_pass_credentials(net::SocketHandle(p.b)) == 0);
  net::UniqueFd ev(::eventfd(7, EFD_CLOEXEC));
  const std::array<int, 2> fds{ev.get(), p.a.get()};
  REQUIRE(net::send_with_fds(net::SocketHandle(p.a), net::as_bytes("x:y"), fds) == 3);
  std::array<std::byte, 64> buf{};
  net::ReceivedMessage msg;
  REQUIRE(net::receive_with_fds(net::SocketHandle(p.b), buf, 8, msg) == 3);
  CHECK_FALSE(msg.truncated);
  REQUIRE(msg.fds.size() == 2);
  CHECK((::fcntl(msg.fds[0].get(), F_GETFD) & FD_CLOEXEC) != 0);  // MSG_CMSG_CLOEXEC
  uint64_t value = 0;
  CHECK(::read(msg.fds[0].get(), &value, sizeof value) == sizeof value);
  CHECK(value == 7);  // the same eventfd
  REQUIRE(msg.sender);
  CHECK(msg.sender->pid == ::getpid());
  CHECK(msg.sender->uid == ::getuid());
  ucred peer{};
  REQUIRE(net::peer_credentials(net::SocketHandle(p.b), peer) == 0);
  CHECK(peer.pid == ::getpid());
}

TEST_CASE("fd passing: a control buffer too small sets MSG_CTRUNC") {
  Pair p;
  // The room is exact with SO_PASSCRED on (credentials come first, then the descriptors).
  REQUIRE(net::enable_pass_credentials(net::SocketHandle(p.b)) == 0);
  std::vector<int> fds(5, p.a.get());
  REQUIRE(net::send_with_fds(net::SocketHandle(p.a), net::as_bytes("n"), fds) == 1);
  std::array<std::byte, 8> buf{};
  net::ReceivedMessage msg;
  REQUIRE(net::receive_with_fds(net::SocketHandle(p.b), buf, 2, msg) == 1);
  CHECK(msg.truncated);
  CHECK(msg.fds.size() == 2);
}

TEST_CASE("fd passing: SCM_MAX_FD is the limit of one message") {
  Pair p;
  std::vector<int> fds(net::kScmMaxFd + 1, p.a.get());
  CHECK(net::send_with_fds(net::SocketHandle(p.a), net::as_bytes("n"), fds) == -EINVAL);
  CHECK(net::control_space(1) >= CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(ucred)));
}

TEST_CASE("fd passing: SO_PEERPIDFD gives a pidfd or says the kernel has none") {
  Pair p;
  const int fd = net::peer_pidfd(net::SocketHandle(p.b));
  if (fd >= 0) {
    CHECK((::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
    ::close(fd);
  } else {
    CHECK(fd == -ENOPROTOOPT);
  }
}
