// Descriptor descriptions: kinds from st_mode and the /proc link, flag names, and real descriptors.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "net/fd.hpp"
#include "sys/fd_description.hpp"
#include "sys/spawn.hpp"

using namespace nt;
using sys::FdKind;

TEST_CASE("fd description: classify") {
  CHECK(sys::classify(S_IFSOCK | 0777, "socket:[1]") == FdKind::socket);
  CHECK(sys::classify(S_IFREG | 0644, "/etc/hosts") == FdKind::file);
  CHECK(sys::classify(S_IFDIR | 0755, "/") == FdKind::directory);
  CHECK(sys::classify(S_IFIFO | 0600, "pipe:[12]") == FdKind::pipe);
  CHECK(sys::classify(S_IFIFO | 0600, "/run/fifo") == FdKind::fifo);
  CHECK(sys::classify(S_IFCHR | 0666, "/dev/null") == FdKind::char_device);
  CHECK(sys::classify(0600, "anon_inode:[eventfd]") == FdKind::eventfd);
  CHECK(sys::classify(0600, "anon_inode:[signalfd]") == FdKind::signalfd);
  CHECK(sys::classify(0600, "anon_inode:[timerfd]") == FdKind::timerfd);
  CHECK(sys::classify(0600, "anon_inode:[pidfd]") == FdKind::pidfd);
  CHECK(sys::classify(S_IFREG | 0600, "pidfd:[123]") == FdKind::pidfd);
  CHECK(sys::classify(0600, "anon_inode:[eventpoll]") == FdKind::epoll);
  CHECK(sys::classify(0600, "anon_inode:inotify") == FdKind::inotify);
  CHECK(sys::classify(0600, "anon_inode:[io_uring]") == FdKind::anon_inode);
  CHECK(sys::kind_name(FdKind::char_device) == "char_device");
}

TEST_CASE("fd description: flags") {
  CHECK(sys::access_mode_name(O_RDONLY) == "read");
  CHECK(sys::access_mode_name(O_WRONLY) == "write");
  CHECK(sys::access_mode_name(O_RDWR) == "read_write");
  CHECK(sys::open_flag_names(O_RDWR | O_APPEND | O_NONBLOCK) ==
        std::vector<std::string>{"append", "nonblock"});
  CHECK(sys::open_flag_names(O_SYNC) == std::vector<std::string>{"sync"});
  CHECK(sys::open_flag_names(O_DSYNC) == std::vector<std::string>{"dsync"});
}

TEST_CASE("fd description: real descriptors") {
  net::UniqueFd file(::open("/dev/null", O_WRONLY | O_APPEND | O_CLOEXEC));
  auto d = sys::describe_fd(file.get());
  REQUIRE(d);
  CHECK(d->kind == FdKind::char_device);
  CHECK(d->path == "/dev/null");
  CHECK(d->access == "write");
  CHECK(d->cloexec);
  net::UniqueFd ev(::eventfd(0, 0));
  d = sys::describe_fd(ev.get());
  REQUIRE(d);
  CHECK(d->kind == FdKind::eventfd);
  CHECK_FALSE(d->cloexec);
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  net::UniqueFd r(fds[0]), w(fds[1]);
  CHECK(sys::describe_fd(r.get())->kind == FdKind::pipe);
  net::UniqueFd s(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  CHECK(sys::describe_fd(s.get())->kind == FdKind::socket);
  const int closed = w.get();
  w.reset();
  CHECK_FALSE(sys::describe_fd(closed));
  CHECK_FALSE(sys::fd_is_open(closed));
  CHECK_FALSE(sys::describe_fd(-1));
}

TEST_CASE("spawn: the child's environment") {
  const std::vector<std::string> parent{"PATH=/bin", "LISTEN_FDS=9", "LISTEN_PID=1", "LISTEN_FDNAMES=x",
                                        "HOME=/"};
  sys::SpawnRequest req;
  req.fds = {5, 6};
  req.names = {"a", "b"};
  const auto env = sys::child_environment(parent, req);
  CHECK(env == std::vector<std::string>{"PATH=/bin", "HOME=/", "LISTEN_FDS=2", "LISTEN_FDNAMES=a:b"});
  req.listen_env = false;
  CHECK(sys::child_environment(parent, req) == std::vector<std::string>{"PATH=/bin", "HOME=/"});
}
