#include <doctest/doctest.h>

#include <string>

#include "subcommands/chat/client_match.hpp"
#include "sys/error.hpp"

using namespace nt::chat;
using nt::output::Json;

TEST_CASE("--wait-for patterns parse into conditions, with escapes") {
  auto p = parse_pattern("type=message,from=bob,text~deploy");
  REQUIRE(p.all.size() == 3);
  CHECK(p.all[0] == FieldCondition{"type", "message", false});
  CHECK(p.all[1] == FieldCondition{"from", "bob", false});
  CHECK(p.all[2] == FieldCondition{"text", "deploy", true});
  auto q = parse_pattern(R"(text=a\,b\\c)");
  REQUIRE(q.all.size() == 1);
  CHECK(q.all[0].value == R"(a,b\c)");
  CHECK(parse_pattern("text=").all[0].value.empty());
  CHECK(parse_pattern("text=a=b").all[0].value == "a=b");  // the first operator splits
}

TEST_CASE("malformed --wait-for patterns are refused naming the pattern") {
  for (const char* bad :
       {"", "type", "type=message,", "=x", "ty pe=x", "a-b=x", R"(text=a\b)", R"(text=a\)"}) {
    CAPTURE(bad);
    try {
      parse_pattern(bad);
      FAIL("no exception");
    } catch (const nt::UsageError& e) {
      CHECK(std::string(e.what()).find(std::string("invalid --wait-for '") + bad + "'") == 0);
    }
  }
}

TEST_CASE("patterns match strings exactly, numbers by their text, arrays by any element") {
  Json msg = {{"type", "message"}, {"from", "bob"}, {"text", "deploy done"}, {"id", 7}};
  CHECK(matches(parse_pattern("type=message"), msg));
  CHECK(matches(parse_pattern("type=message,from=bob"), msg));
  CHECK_FALSE(matches(parse_pattern("type=message,from=Bob"), msg));
  CHECK_FALSE(matches(parse_pattern("type=messag"), msg));
  CHECK(matches(parse_pattern("text~deploy"), msg));
  CHECK_FALSE(matches(parse_pattern("text~DEPLOY"), msg));
  CHECK(matches(parse_pattern("id=7"), msg));
  CHECK_FALSE(matches(parse_pattern("id=07"), msg));
  CHECK_FALSE(matches(parse_pattern("to=bob"), msg));  // a missing field never matches
  Json list = {{"type", "user_list"}, {"users", {"alice", "bob"}}};
  CHECK(matches(parse_pattern("type=user_list,users=bob"), list));
  CHECK_FALSE(matches(parse_pattern("users=carol"), list));
  CHECK(matches(parse_pattern("users~ali"), list));
  Json flag = {{"type", "x"}, {"unknown", true}};
  CHECK(matches(parse_pattern("unknown=true"), flag));
}
