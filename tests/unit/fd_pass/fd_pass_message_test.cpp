// fd-pass's message payload: names LISTEN_FDNAMES-style, "#I/N " numbering past SCM_MAX_FD, and what
// any other peer's payload decodes to.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "subcommands/fd_pass/message.hpp"

using namespace nt::fd_pass;

TEST_CASE("fd-pass message: one part is the bare name list") {
  Part p;
  p.names = {"listener", "log"};
  CHECK(encode_part(p) == "listener:log");
  std::size_t declared = 0;
  const Part back = decode_part("listener:log", 2, declared);
  CHECK(declared == 2);
  CHECK_FALSE(back.numbered);
  CHECK(back.names == std::vector<std::string>{"listener", "log"});
}

TEST_CASE("fd-pass message: numbered parts round-trip") {
  Part p{2, 3, true, {"a", "b"}};
  CHECK(encode_part(p) == "#2/3 a:b");
  std::size_t declared = 0;
  const Part back = decode_part("#2/3 a:b", 2, declared);
  CHECK(back.numbered);
  CHECK(back.index == 2);
  CHECK(back.count == 3);
  CHECK(back.names == std::vector<std::string>{"a", "b"});
}

TEST_CASE("fd-pass message: foreign payloads") {
  std::size_t declared = 0;
  // python's send_fds(sock, [b"x"], fds): one name for three descriptors
  CHECK(decode_part("x", 3, declared).names == std::vector<std::string>{"x", "unknown", "unknown"});
  CHECK(declared == 1);
  CHECK(decode_part("", 1, declared).names == std::vector<std::string>{"unknown"});
  CHECK(declared == 0);
  CHECK(decode_part("a b:c\n", 2, declared).names == std::vector<std::string>{"unknown", "c"});
  CHECK(decode_part("a:b:c", 1, declared).names == std::vector<std::string>{"a"});
  CHECK(declared == 3);  // the sender meant three: two were lost
  for (const char* bad : {"#0/2 a", "#3/2 a", "#x/2 a", "#1/ a", "#1/2"}) {
    CAPTURE(bad);
    CHECK_FALSE(decode_part(bad, 1, declared).numbered);
  }
}

TEST_CASE("fd-pass message: split at the per-message limit") {
  std::vector<std::string> names(600, "n");
  const auto parts = split_parts(names, 253);
  REQUIRE(parts.size() == 3);
  CHECK(parts[0].names.size() == 253);
  CHECK(parts[1].names.size() == 253);
  CHECK(parts[2].names.size() == 94);
  CHECK(parts[2].index == 3);
  CHECK(parts[2].count == 3);
  CHECK(parts[0].numbered);
  const auto one = split_parts(std::vector<std::string>(253, "n"), 253);
  REQUIRE(one.size() == 1);
  CHECK_FALSE(one[0].numbered);
  CHECK(encode_part(one[0]).find('#') == std::string::npos);
}
