#include <doctest/doctest.h>

#include <string>
#include <variant>

#include "subcommands/chat/protocol.hpp"

using namespace nt::chat;
using S = ParseResult::Status;

namespace {
template <class T>
T parsed(std::string_view line) {
  ParseResult r = parse_message(line);
  INFO(line, " → ", r.error);
  REQUIRE(r.ok());
  REQUIRE(std::holds_alternative<T>(*r.message));
  return std::get<T>(*r.message);
}
}  // namespace

TEST_CASE("chat protocol: every type parses in the flat and the nested form") {
  for (auto [flat, nested] : {
           std::pair{R"({"type":"join","name":"Alice"})", R"({"type":"join","data":{"name":"Alice"}})"},
       }) {
    CHECK(parsed<Join>(flat).name == "Alice");
    CHECK(parsed<Join>(nested).name == "Alice");
  }
  auto m = parsed<ChatMessage>(R"({"type":"message","data":{"from":"Alice","text":"Hi"}})");
  CHECK(m.from == "Alice");
  CHECK(m.text == "Hi");
  CHECK_FALSE(m.to.has_value());
  auto pm = parsed<ChatMessage>(R"({"type":"message","text":"psst","to":"Bob"})");
  CHECK(pm.to == "Bob");
  CHECK(parsed<Welcome>(R"({"type":"welcome","id":123})").id == 123);
  CHECK(parsed<Welcome>(R"({"type":"welcome","data":{"id":7,"name":"A"}})").name == "A");
  auto uj = parsed<UserJoined>(R"({"type":"user_joined","name":"Alice","id":123})");
  CHECK((uj.name == "Alice" && uj.id == 123));
  auto ul = parsed<UserLeft>(R"({"type":"user_left","data":{"name":"Alice","id":1}})");
  CHECK((ul.name == "Alice" && ul.id == 1));
  CHECK(parsed<UserList>(R"({"type":"user_list","users":["Alice","Bob"]})").users.size() == 2);
  CHECK(parsed<UserList>(R"({"type":"user_list","data":{"users":[]}})").users.empty());
  auto e = parsed<Error>(R"({"type":"error","code":400,"message":"bad"})");
  CHECK((e.code == 400 && e.message == "bad"));
  CHECK(parsed<Error>(R"({"type":"error","data":{"code":503}})").message.empty());
  parsed<List>(R"({"type":"list"})");
  parsed<Ping>(R"({"type":"ping"})");
  parsed<Pong>(R"({"type":"pong","data":{}})");
  auto n = parsed<Nick>(R"({"type":"nick","name":"Bob","old":"Al","id":3})");
  CHECK((n.name == "Bob" && n.old == "Al" && n.id == 3));
  auto h = parsed<Hello>(R"({"type":"hello","capabilities":["ping","nick"],"software":"x"})");
  CHECK(h.capabilities.size() == 2);
  CHECK(h.software == "x");
}

TEST_CASE("chat protocol: unknown fields, null fields and CRLF are tolerated") {
  CHECK(parsed<Join>(R"({"type":"join","name":"A","colour":"red"})").name == "A");
  CHECK_FALSE(parsed<ChatMessage>(R"({"type":"message","text":"x","to":null})").to.has_value());
  CHECK(parsed<Join>("{\"type\":\"join\",\"name\":\"A\"}\r").name == "A");
  CHECK(parsed<Join>(R"( { "type" : "join" , "data" : null, "name" : "A" } )").name == "A");
}

TEST_CASE("chat protocol: every error is reported with its status") {
  struct Case {
    std::string line;
    S status;
  };
  const Case cases[] = {
      {"", S::invalid_json},
      {"hello", S::invalid_json},
      {R"({"type":"join","name":"A"} x)", S::invalid_json},
      {R"({"type":"join",)", S::invalid_json},
      {std::string(100, '[') + std::string(100, ']'), S::invalid_json},
      {"[1,2]", S::not_object},
      {"\"join\"", S::not_object},
      {"42", S::not_object},
      {"{}", S::bad_type},
      {R"({"type":7})", S::bad_type},
      {R"({"type":null,"name":"A"})", S::bad_type},
      {R"({"type":"dance"})", S::unknown_type},
      {R"({"type":"join"})", S::bad_field},
      {R"({"type":"join","name":5})", S::bad_field},
      {R"({"type":"join","data":{"name":["A"]}})", S::bad_field},
      {R"({"type":"join","data":"A"})", S::bad_field},
      {R"({"type":"message"})", S::bad_field},
      {R"({"type":"message","text":"x","to":1})", S::bad_field},
      {R"({"type":"welcome","id":-1})", S::bad_field},
      {R"({"type":"welcome","id":1.5})", S::bad_field},
      {R"({"type":"welcome","id":"1"})", S::bad_field},
      {R"({"type":"user_list","users":["A",1]})", S::bad_field},
      {R"({"type":"user_list","users":"A"})", S::bad_field},
      {R"({"type":"error","code":1000})", S::bad_field},
      {R"({"type":"hello","capabilities":"ping"})", S::bad_field},
      {"{\"type\":\"join\",\"name\":\"\xff\"}", S::invalid_utf8},
  };
  for (const Case& c : cases) {
    CAPTURE(c.line);
    ParseResult r = parse_message(c.line);
    CHECK(r.status == c.status);
    CHECK_FALSE(r.ok());
    CHECK_FALSE(r.error.empty());
  }
  ParseResult unknown = parse_message(R"({"type":"dance","data":{"x":1}})");
  CHECK(unknown.type == "dance");
}

TEST_CASE("chat protocol: UTF-8 edge cases") {
  CHECK(valid_utf8(""));
  CHECK(valid_utf8("plain"));
  CHECK(valid_utf8("\xc3\xa9"));                // é
  CHECK(valid_utf8("\xe2\x82\xac"));            // €
  CHECK(valid_utf8("\xf0\x9f\x98\x80"));        // U+1F600
  CHECK(valid_utf8("\xf4\x8f\xbf\xbf"));        // U+10FFFF
  CHECK(valid_utf8("\xed\x9f\xbf"));            // U+D7FF, just below the surrogates
  CHECK_FALSE(valid_utf8("\xc0\xaf"));          // overlong '/'
  CHECK_FALSE(valid_utf8("\xc1\xbf"));          // overlong
  CHECK_FALSE(valid_utf8("\xe0\x80\xaf"));      // overlong 3-byte
  CHECK_FALSE(valid_utf8("\xf0\x80\x80\xaf"));  // overlong 4-byte
  CHECK_FALSE(valid_utf8("\xed\xa0\x80"));      // U+D800 surrogate
  CHECK_FALSE(valid_utf8("\xed\xbf\xbf"));      // U+DFFF surrogate
  CHECK_FALSE(valid_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  CHECK_FALSE(valid_utf8("\xf5\x80\x80\x80"));
  CHECK_FALSE(valid_utf8("\xc3"));  // truncated
  CHECK_FALSE(valid_utf8("\xe2\x82"));
  CHECK_FALSE(valid_utf8("\x80"));     // lone continuation
  CHECK_FALSE(valid_utf8("a\xc3(b"));  // bad continuation
  CHECK_FALSE(valid_utf8("\xfe\xff"));
  // JSON escapes are decoded by the parser; a lone surrogate escape is refused.
  CHECK(parsed<ChatMessage>(R"({"type":"message","text":"\u00e9\ud83d\ude00"})").text ==
        "\xc3\xa9\xf0\x9f\x98\x80");
  CHECK(parse_message(R"({"type":"message","text":"\ud800"})").status == S::invalid_json);
  CHECK(parse_message("{\"type\":\"message\",\"text\":\"\xed\xa0\x80\"}").status == S::invalid_utf8);
}

TEST_CASE("chat protocol: name rules") {
  CHECK_FALSE(name_problem("Alice").has_value());
  CHECK_FALSE(name_problem("Zoë").has_value());
  CHECK_FALSE(name_problem(std::string(32, 'a')).has_value());
  std::string emoji32;
  for (int i = 0; i < 32; ++i) emoji32 += "\xf0\x9f\x98\x80";
  CHECK_FALSE(name_problem(emoji32).has_value());  // 32 characters, 128 bytes
  CHECK(name_problem(emoji32 + "a").has_value());
  CHECK(name_problem("").has_value());
  CHECK(name_problem(std::string(33, 'a')).has_value());
  CHECK(name_problem("a\tb").has_value());
  CHECK(name_problem(std::string("a\0b", 3)).has_value());
  CHECK(name_problem("a\x7f").has_value());
  CHECK(name_problem("a\xc2\x85").has_value());      // U+0085 NEL (C1)
  CHECK(name_problem("a\xe2\x80\xa8").has_value());  // U+2028
  CHECK(name_problem("   ").has_value());
  CHECK(name_problem("\xff").has_value());
}

TEST_CASE("chat protocol: to_line writes the flat form, type first, one line") {
  CHECK(to_line(Join{"Alice"}) == "{\"type\":\"join\",\"name\":\"Alice\"}\n");
  CHECK(to_line(Welcome{123, std::nullopt}) == "{\"type\":\"welcome\",\"id\":123}\n");
  CHECK(to_line(ChatMessage{"Hello", "Alice", std::nullopt, std::nullopt}) ==
        "{\"type\":\"message\",\"from\":\"Alice\",\"text\":\"Hello\"}\n");
  CHECK(to_line(UserList{{"Alice", "Bob"}}) == "{\"type\":\"user_list\",\"users\":[\"Alice\",\"Bob\"]}\n");
  CHECK(to_line(Error{409, "taken"}) == "{\"type\":\"error\",\"code\":409,\"message\":\"taken\"}\n");
  CHECK(to_line(Ping{}) == "{\"type\":\"ping\"}\n");
  // A newline inside a field never breaks the framing; invalid UTF-8 is replaced, not thrown.
  CHECK(to_line(ChatMessage{"a\nb", "A", std::nullopt, std::nullopt}).find("a\\nb") != std::string::npos);
  std::string bad = to_line(ChatMessage{"\xff", "A", std::nullopt, std::nullopt});
  CHECK(valid_utf8(bad));
}

TEST_CASE("chat protocol: to_line and parse_message round-trip every type") {
  const Message all[] = {
      Join{"A"},
      List{},
      Nick{"B", std::string("A"), uint64_t{4}},
      ChatMessage{"hi ✓", std::string("A"), std::string("B"), uint64_t{9}},
      Welcome{1, std::string("A")},
      UserJoined{"A", 2},
      UserLeft{"A", 3},
      UserList{{"A", "B"}},
      Error{429, "slow down"},
      Ping{},
      Pong{},
      Hello{{"ping", "nick"}, std::string("nettool")},
  };
  for (const Message& m : all) {
    std::string line = to_line(m);
    CAPTURE(line);
    REQUIRE(line.back() == '\n');
    CHECK(line.find('\n') == line.size() - 1);
    ParseResult r = parse_message(std::string_view(line).substr(0, line.size() - 1));
    REQUIRE(r.ok());
    CHECK(type_name(*r.message) == type_name(m));
    CHECK(to_line(*r.message) == line);
  }
}

TEST_CASE("chat protocol: a number no double holds is invalid JSON, not an exception (fuzz-chat)") {
  auto r = nt::chat::parse_message(R"({"type":"message","text":"x","n":1e999})");
  CHECK(r.status == nt::chat::ParseResult::Status::invalid_json);
  CHECK(nt::chat::parse_message(R"({"type":"join","name":"a","x":-3e51583})").status ==
        nt::chat::ParseResult::Status::invalid_json);
}

TEST_CASE("chat protocol: the plain message shortcut agrees with the JSON parser on every line") {
  const char* lines[] = {
      R"({"type":"message","text":"Hello"})",
      R"({"type": "message", "text": "seq 000001 abc"})",  // python's json.dumps
      " {\t\"type\" :\"message\" ,\"text\":\"x\" } ",
      "{\"type\":\"message\",\"text\":\"crlf\"}\r",
      R"({"type":"message","text":""})",
      R"({"type":"message","text":"hi ✓ ünï"})",
      R"({"type":"message","text":"a\"b"})",
      R"({"type":"message","text":"a\\b"})",
      R"({"type":"message","text":"\u00e9\n"})",
      R"({"type":"message","text":"x","to":"Bob"})",
      R"({"text":"x","type":"message"})",
      R"({"type":"message","data":{"text":"x"}})",
      R"({"type":"message","text":"x"}x)",
      R"({"type":"message","text":"x")",
      R"({"type":"message","text":"x"}})",
      R"({"type":"message","text":"tab	inside"})",
      R"({"type":"message","text":"x","text":"y"})",
      R"({"type":"messages","text":"x"})",
      R"({"type":"message","text":x})",
      "{\"type\":\"message\",\"text\":\"\xff\"}",
      R"({"type":"message","from":"Alice","id":7,"text":"hi"})",  // a server's form
      R"({"type":"message","from":"A","to":"B","id":0,"text":"x"})",
      R"({"type":"message", "from": "A", "id": 42 , "text": "x"})",
      R"({"type":"message","id":18446744073709551615,"text":"x"})",  // 20 digits: the general path
      R"({"type":"message","id":99999999999999999999,"text":"x"})",
      R"({"type":"message","id":01,"text":"x"})",
      R"({"type":"message","id":-1,"text":"x"})",
      R"({"type":"message","id":1.5,"text":"x"})",
      R"({"type":"message","id":1e3,"text":"x"})",
      R"({"type":"message","id":"7","text":"x"})",
      R"({"type":"message","from":null,"text":"x"})",
      R"({"type":"message","to":"B","from":"A","text":"x"})",
      R"({"type":"message","from":"A","text":"x","id":3})",
      R"({"type":"message","from":"A\"B","text":"x"})",
      R"({"type":"message","from":"A","from":"B","text":"x"})",
      "\r\r",  // fuzz-chat: the shortcut stripped one '\r', the general path another
      "{\"type\":\"message\",\"text\":\"x\"}\r\r",
  };
  for (const char* line : lines) {
    CAPTURE(line);
    ParseResult fast = parse_message(line), general = parse_message_json(line);
    CHECK(fast.status == general.status);
    CHECK(fast.type == general.type);
    CHECK(fast.error == general.error);
    REQUIRE(fast.message.has_value() == general.message.has_value());
    if (fast.message) CHECK(to_line_json(*fast.message) == to_line_json(*general.message));
  }
  // The shortcut did take the plain lines: the text is the bytes between the quotes.
  CHECK(parsed<ChatMessage>(R"({"type": "message", "text": "seq 000001 abc"})").text == "seq 000001 abc");
  ChatMessage from_server =
      parsed<ChatMessage>(R"({"type":"message","from":"A","to":"B","id":9,"text":"t"})");
  CHECK(from_server.from == "A");
  CHECK(from_server.to == "B");
  CHECK(from_server.id == 9u);
  CHECK(from_server.text == "t");
}

TEST_CASE("chat protocol: to_line's message shortcut writes the general path's bytes") {
  const ChatMessage messages[] = {
      {"Hello", std::string("Alice"), std::nullopt, uint64_t{7}},
      {"", std::nullopt, std::nullopt, std::nullopt},
      {"hi ✓", std::string("A\"quoted\""), std::string("B\\b"), uint64_t{18446744073709551615u}},
      {"line\nbreak\ttab\x01", std::string("A"), std::nullopt, uint64_t{0}},
      {"\xff\xfe invalid", std::string("\xc3"), std::nullopt, std::nullopt},
      {"del \x7f kept", std::string("A"), std::string("B"), std::nullopt},
  };
  for (const ChatMessage& m : messages) {
    CAPTURE(m.text);
    CHECK(to_line(m) == to_line_json(m));
  }
}
