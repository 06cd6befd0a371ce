// `--listen unix:PATH` never deletes what is not a socket (issue 16.3): Linux answers connect(2) on a
// regular file with ECONNREFUSED too, which the stale-socket clean-up used to take for a dead server.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "net/socket.hpp"
#include "net/unix_socket_file.hpp"
#include "sys/error.hpp"

using namespace nt;

namespace {
std::string temp_path(const char* tag) {
  return "/tmp/nt-unix-listen-" + std::to_string(::getpid()) + "-" + tag;
}
bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}
}  // namespace

TEST_CASE("listen_on unix: a regular file in the way is refused with exit 2 and kept") {
  std::string path = temp_path("file");
  std::ofstream(path) << "precious\n";
  REQUIRE(exists(path));
  try {
    (void)net::listen_on(net::SocketAddress::unix_path(path), {});
    FAIL("listen_on replaced a regular file");
  } catch (const std::exception& e) {
    CHECK(exit_code_of(e) == kExitUsage);
    CHECK(describe(e).find(path + "' exists and is not a socket") != std::string::npos);
  }
  CHECK(exists(path));
  CHECK_FALSE(net::is_socket_file(path));
  CHECK_FALSE(net::unlink_socket_file(path));  // the unlink at exit spares it too
  CHECK(exists(path));
  std::remove(path.c_str());
}

TEST_CASE("listen_on unix: a stale socket file is replaced, and removed by unlink_socket_file") {
  std::string path = temp_path("sock");
  { net::UniqueFd dead = net::listen_on(net::SocketAddress::unix_path(path), {}); }  // leaves the file
  REQUIRE(net::is_socket_file(path));
  net::UniqueFd live = net::listen_on(net::SocketAddress::unix_path(path), {});
  CHECK(net::is_socket_file(path));
  CHECK(net::unlink_socket_file(path));
  CHECK_FALSE(exists(path));
}
