// systemd socket activation: LISTEN_PID/LISTEN_FDS/LISTEN_FDNAMES parsing, names, and take_listen_fds
// on a real socket placed at descriptor 3.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "net/socket_activation.hpp"
#include "sys/error.hpp"

using namespace nt;

TEST_CASE("socket activation: LISTEN_PID and LISTEN_FDS") {
  CHECK(net::parse_listen_env("42", "2", 42) == std::optional<std::size_t>(2));
  CHECK(net::parse_listen_env("42", "0", 42) == std::optional<std::size_t>(0));
  CHECK_FALSE(net::parse_listen_env("41", "2", 42));  // meant for another process
  CHECK_FALSE(net::parse_listen_env(nullptr, "2", 42));
  CHECK_FALSE(net::parse_listen_env("42", nullptr, 42));
  CHECK_THROWS_WITH(net::parse_listen_env("x", "2", 42), doctest::Contains("LISTEN_PID"));
  CHECK_THROWS_WITH(net::parse_listen_env("0", "2", 42), doctest::Contains("LISTEN_PID"));
  CHECK_THROWS_WITH(net::parse_listen_env("42", "-1", 42), doctest::Contains("LISTEN_FDS"));
  CHECK_THROWS_WITH(net::parse_listen_env("42", "2x", 42), doctest::Contains("LISTEN_FDS"));
  CHECK_THROWS_WITH(net::parse_listen_env("42", "100000", 42), doctest::Contains("LISTEN_FDS"));
}

TEST_CASE("socket activation: LISTEN_FDNAMES") {
  using V = std::vector<std::string>;
  CHECK(net::parse_fd_names("a:b", 2) == V{"a", "b"});
  CHECK(net::parse_fd_names("a", 3) == V{"a", "unknown", "unknown"});
  CHECK(net::parse_fd_names(nullptr, 1) == V{"unknown"});
  CHECK(net::parse_fd_names("a:b:c", 2) == V{"a", "b"});
  CHECK(net::join_fd_names(V{"a", "b"}) == "a:b");
  CHECK(net::join_fd_names(V{}) == "");
  CHECK(net::valid_fd_name("web.socket-1"));
  CHECK_FALSE(net::valid_fd_name(""));
  CHECK_FALSE(net::valid_fd_name("a:b"));
  CHECK_FALSE(net::valid_fd_name("a b"));
  CHECK_FALSE(net::valid_fd_name(std::string(256, 'a')));
}

TEST_CASE("socket activation: take_listen_fds checks the descriptors and unsets the variables") {
  // Put a socket at 3 (saving whatever the test runner has there).
  const int saved = ::fcntl(3, F_DUPFD_CLOEXEC, 100);
  int pair[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) == 0);
  REQUIRE(::dup2(pair[0], 3) == 3);
  const std::string pid = std::to_string(::getpid());
  ::setenv("LISTEN_PID", pid.c_str(), 1);
  ::setenv("LISTEN_FDS", "1", 1);
  ::setenv("LISTEN_FDNAMES", "one", 1);
  net::ListenFds got = net::take_listen_fds();
  REQUIRE(got.fds.size() == 1);
  CHECK(got.fds[0] == 3);
  CHECK(got.names[0] == "one");
  CHECK((::fcntl(3, F_GETFD) & FD_CLOEXEC) != 0);
  CHECK(::getenv("LISTEN_FDS") == nullptr);
  CHECK(::getenv("LISTEN_PID") == nullptr);
  CHECK(net::take_listen_fds().fds.empty());
  // Not listening: --listen-fd refuses it, naming the descriptor.
  CHECK_THROWS_WITH(net::check_listening_socket(3, "--listen-fd"), doctest::Contains("--listen-fd 3"));
  // A descriptor that is not a socket.
  const int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  REQUIRE(::dup2(devnull, 3) == 3);
  ::close(devnull);
  ::setenv("LISTEN_PID", pid.c_str(), 1);
  ::setenv("LISTEN_FDS", "1", 1);
  CHECK_THROWS_WITH(net::take_listen_fds(), doctest::Contains("not a socket"));
  ::close(3);
  CHECK_THROWS_WITH(net::check_listening_socket(3, "--listen-fd"), doctest::Contains("not open"));
  ::close(pair[0]);
  ::close(pair[1]);
  if (saved >= 0) {
    ::dup2(saved, 3);
    ::close(saved);
  }
  ::unsetenv("LISTEN_PID");
  ::unsetenv("LISTEN_FDS");
  ::unsetenv("LISTEN_FDNAMES");
}
