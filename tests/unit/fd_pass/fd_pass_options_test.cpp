// fd-pass's option parsers and checks: --fd N[:NAME], --socket forms, limits, --exec's command.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cli/command_tail.hpp"
#include "subcommands/fd_pass/options.hpp"
#include "sys/error.hpp"

using namespace nt;
using namespace nt::fd_pass;

TEST_CASE("fd-pass: --fd N[:NAME]") {
  CHECK(parse_fd_spec("3").fd == 3);
  CHECK(parse_fd_spec("3").name == "fd3");
  CHECK(parse_fd_spec("0:stdin").name == "stdin");
  CHECK(parse_fd_spec("10:web.socket").fd == 10);
  for (const char* bad : {"", "-1", "x", "3x", "3:", "3:a:b", "3:a b", ":name", "99999999999"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(parse_fd_spec(bad), UsageError);
  }
  CHECK_THROWS_WITH(parse_fd_spec("x"), doctest::Contains("invalid --fd 'x'"));
}

TEST_CASE("fd-pass: --socket PATH, unix:PATH, @NAME") {
  CHECK(parse_socket_address("/run/x.sock").to_string() == "unix:/run/x.sock");
  CHECK(parse_socket_address("unix:/run/x.sock").to_string() == "unix:/run/x.sock");
  CHECK(parse_socket_address("relative.sock").host() == "relative.sock");
  CHECK(parse_socket_address("@hand-over").is_abstract());
  CHECK_THROWS_AS(parse_socket_address(""), UsageError);
  CHECK_THROWS_AS(parse_socket_address(std::string(200, 'x')), UsageError);
}

TEST_CASE("fd-pass send: checks") {
  SendOptions o;
  o.socket = "/tmp/s";
  CHECK_THROWS_WITH(validate(o), doctest::Contains("nothing to send"));
  o.fds = {"3"};
  CHECK_NOTHROW(validate(o));
  o.timeout_s = -1;
  CHECK_THROWS_WITH(validate(o), doctest::Contains("--timeout"));
  o.timeout_s = 1;
  o.opens.assign(kMaxDescriptors, "/dev/null");
  CHECK_THROWS_WITH(validate(o), doctest::Contains("too many descriptors"));
}

TEST_CASE("fd-pass recv: checks") {
  RecvOptions o;
  o.socket = "/tmp/s";
  CHECK_NOTHROW(validate(o));
  o.exec = true;
  CHECK_THROWS_WITH(validate(o), doctest::Contains("no command"));
  o.command = {"cat"};
  CHECK_NOTHROW(validate(o));
  o.exec = false;
  CHECK_THROWS_WITH(validate(o), doctest::Contains("unexpected argument 'cat'"));
  o.command.clear();
  o.max_fds = 0;
  CHECK_THROWS_WITH(validate(o), doctest::Contains("--max-fds"));
  o.max_fds = 10;
  o.allow_uid = -1;
  CHECK_THROWS_WITH(validate(o), doctest::Contains("--allow-uid"));
}

TEST_CASE("command tails: everything after --exec is the command's") {
  cli::register_command_tail("--exec");
  using V = std::vector<std::string>;
  V args{"fd-pass", "recv", "-s", "x", "--exec", "nettool", "tcp-echo", "server", "--listen-fd", "3"};
  cli::mark_command_tail(args);
  CHECK(args ==
        V{"fd-pass", "recv", "-s", "x", "--exec", "--", "nettool", "tcp-echo", "server", "--listen-fd", "3"});
  V already{"recv", "--exec", "--", "cat"};
  cli::mark_command_tail(already);
  CHECK(already == V{"recv", "--exec", "--", "cat"});
  V after_user_mark{"recv", "--", "--exec"};
  cli::mark_command_tail(after_user_mark);
  CHECK(after_user_mark == V{"recv", "--", "--exec"});
  V none{"ping", "host"};
  cli::mark_command_tail(none);
  CHECK(none == V{"ping", "host"});
}
