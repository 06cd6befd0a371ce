#include <doctest/doctest.h>

#include <string>

#include "subcommands/chat/client_commands.hpp"
#include "subcommands/chat/client_options.hpp"
#include "subcommands/chat/terminal.hpp"
#include "sys/error.hpp"

using namespace nt::chat;
using nt::output::Format;

TEST_CASE("interactive only with two terminals, text format and nothing scripted asked") {
  ClientOptions o;
  CHECK(choose_mode(o, true, true, Format::text) == ClientMode::interactive);
  CHECK(choose_mode(o, false, true, Format::text) == ClientMode::scripted);
  CHECK(choose_mode(o, true, false, Format::text) == ClientMode::scripted);
  CHECK(choose_mode(o, true, true, Format::jsonl) == ClientMode::scripted);
  CHECK(choose_mode(o, true, true, Format::json) == ClientMode::scripted);
  ClientOptions w;
  w.wait_for = "type=message";
  CHECK(choose_mode(w, true, true, Format::text) == ClientMode::scripted);
  ClientOptions e;
  e.exit_after_ack = true;
  CHECK(choose_mode(e, true, true, Format::text) == ClientMode::scripted);
  ClientOptions s;
  s.scripted = true;
  CHECK(choose_mode(s, true, true, Format::text) == ClientMode::scripted);
}

TEST_CASE("the name comes from --name, else USER, and follows the protocol's rules") {
  ClientOptions o;
  o.name = "alice";
  CHECK(effective_name(o, "bob") == "alice");
  o.name.clear();
  CHECK(effective_name(o, "bob") == "bob");
  CHECK_THROWS_AS(effective_name(o, nullptr), nt::UsageError);
  CHECK_THROWS_AS(effective_name(o, ""), nt::UsageError);
  for (const char* bad : {"a\x1b[31mb", "0123456789012345678901234567890123", "   "}) {
    CAPTURE(bad);
    o.name = bad;
    try {
      effective_name(o, "bob");
      FAIL("no exception");
    } catch (const nt::UsageError& e) {
      CHECK(std::string(e.what()).find("invalid --name '") == 0);
      CHECK(std::string(e.what()).find('\x1b') == std::string::npos);  // shown escaped
    }
  }
}

TEST_CASE("validate refuses bad numbers, contradictions and oversized --send") {
  auto refused = [](ClientOptions o, const char* needle) {
    CAPTURE(needle);
    try {
      validate(o);
      FAIL("no exception");
    } catch (const nt::UsageError& e) {
      CHECK(std::string(e.what()).find(needle) != std::string::npos);
    }
  };
  ClientOptions ok;
  CHECK_NOTHROW(validate(ok));
  ClientOptions o;
  o.timeout_s = 0;
  refused(o, "--timeout");
  o = {};
  o.timeout_s = std::numeric_limits<double>::quiet_NaN();
  refused(o, "--timeout");
  o = {};
  o.max_attempts = 3;
  refused(o, "--reconnect-attempts needs --reconnect");
  o.reconnect = true;
  o.max_attempts = 0;
  refused(o, "--reconnect-attempts");
  o = {};
  o.wait_for = "nonsense";
  refused(o, "--wait-for");
  o = {};
  o.exit_after_ack = o.stay = true;
  refused(o, "--exit and --stay");
  o = {};
  o.send.push_back(std::string(kMaxMessageBytes + 1, 'x'));
  refused(o, "--send");
}

TEST_CASE("typed lines: messages, commands and their mistakes") {
  using namespace command;
  CHECK(std::get<Say>(parse("hello there")).text == "hello there");
  CHECK(std::get<Say>(parse("//not a command")).text == "/not a command");
  auto w = std::get<Whisper>(parse("/msg bob  see you  "));
  CHECK(w.to == "bob");
  CHECK(w.text == "see you");
  CHECK(std::holds_alternative<ListUsers>(parse("/list")));
  CHECK(std::get<ChangeNick>(parse("/nick carol")).name == "carol");
  CHECK(std::holds_alternative<Quit>(parse("/quit")));
  CHECK(std::holds_alternative<Help>(parse("/help")));
  CHECK(std::holds_alternative<Nothing>(parse("   ")));
  CHECK(std::get<Invalid>(parse("/msg bob")).problem == "usage: /msg NAME TEXT");
  CHECK(std::get<Invalid>(parse("/nick")).problem == "usage: /nick NAME");
  CHECK(std::get<Invalid>(parse("/nick 0123456789012345678901234567890123")).problem.find("invalid name") ==
        0);
  CHECK(std::get<Invalid>(parse("/frobnicate x")).problem.find("unknown command '/frobnicate'") == 0);
  CHECK(std::get<Invalid>(parse("/list extra")).problem.find("unknown command") == 0);
  CHECK(std::get<Invalid>(parse(std::string(kMaxMessageBytes + 1, 'x'))).problem.find("too long") !=
        std::string::npos);
}

TEST_CASE("display_width counts code points and skips colour sequences") {
  CHECK(display_width("alice> ") == 7);
  CHECK(display_width("\x1b[31malice\x1b[0m> ") == 7);
  CHECK(display_width("zoë> ") == 5);
  CHECK(display_width("") == 0);
}
