#include <doctest/doctest.h>

#include <string>

#include "subcommands/chat/client_records.hpp"

using namespace nt::chat;

TEST_CASE("server events become records with type, time and the protocol fields, flat") {
  auto parsed = parse_message(R"({"type":"message","data":{"from":"bob","text":"hi","to":"alice"}})");
  REQUIRE(parsed.ok());
  auto rec = event_record(*parsed.message, {});
  CHECK(rec.data.begin().key() == "type");
  CHECK(rec.data["type"] == "message");
  CHECK(rec.data["time"].get<std::string>().size() == 27);  // 2026-12-01T18:36:35.850159Z
  CHECK(rec.data["from"] == "bob");
  CHECK(rec.data["to"] == "alice");
  CHECK(rec.data["text"] == "hi");
  CHECK_FALSE(rec.data.contains("data"));
  CHECK(rec.text == "<bob → alice> hi");
  CHECK(rec.event);
}

TEST_CASE("each server type keeps its fields") {
  auto rec = [](const char* line) {
    auto parsed = parse_message(line);
    REQUIRE(parsed.ok());
    return event_record(*parsed.message, {});
  };
  auto list = rec(R"({"type":"user_list","users":["alice","bob"]})");
  CHECK(list.data["users"] == nt::output::Json::array({"alice", "bob"}));
  CHECK(list.text == "* 2 online: alice, bob");
  auto err = rec(R"({"type":"error","code":409,"message":"name taken"})");
  CHECK(err.data["code"] == 409);
  CHECK(err.data["message"] == "name taken");
  CHECK(err.level == nt::output::Level::essential);
  auto welcome = rec(R"({"type":"welcome","id":123})");
  CHECK(welcome.data["id"] == 123);
  auto joined = rec(R"({"type":"user_joined","name":"carol","id":9})");
  CHECK(joined.text == "* carol joined");
  auto ping = rec(R"({"type":"ping"})");
  CHECK(ping.level == nt::output::Level::verbose);
}

TEST_CASE("network text is escaped in the text form, kept as is in the data") {
  auto parsed =
      parse_message("{\"type\":\"message\",\"from\":\"e\\u001b[2Jve\",\"text\":\"a\\u001b]0;x\\u0007b\"}");
  REQUIRE(parsed.ok());
  auto rec = event_record(*parsed.message, {});
  CHECK(rec.text.find('\x1b') == std::string::npos);
  CHECK(rec.text.find("\\x1b") != std::string::npos);
  CHECK(rec.data["text"] == "a\x1b]0;x\ab");
}

TEST_CASE("colour per sender: stable, only when asked, never on the escaped text's content") {
  TextStyle colour{true};
  CHECK(sender_text("alice", colour) == sender_text("alice", colour));
  CHECK(sender_text("alice", colour).find("\x1b[") == 0);
  CHECK(sender_text("alice", {}) == "alice");
  CHECK(sender_text("alice", colour).find("alice") != std::string::npos);
}

TEST_CASE("unknown types and broken lines are reported, not dropped") {
  auto unknown = unknown_type_record("typing");
  CHECK(unknown.data["type"] == "typing");
  CHECK(unknown.data["unknown"] == true);
  auto broken = invalid_line_record("not JSON", 12);
  CHECK(broken.data["type"] == "invalid_line");
  CHECK(broken.data["bytes"] == 12);
}
