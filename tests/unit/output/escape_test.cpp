// Terminal escaping of text that came from outside: table-driven, every class of byte.
#include <doctest/doctest.h>

#include <string>

#include "output/escape.hpp"

using nt::output::escape_for_terminal;

TEST_CASE("escape_for_terminal keeps printable ASCII and valid UTF-8, escapes the rest") {
  struct Case {
    std::string in, out;
  };
  const Case cases[] = {
      {"plain host-name.example:80", "plain host-name.example:80"},
      {"", ""},
      {"a\x1b[2Jb", "a\\x1b[2Jb"},                  // ESC: clear screen
      {"\x1b]0;pwned\a", "\\x1b]0;pwned\\x07"},     // OSC window title + BEL
      {"tab\there\r\n", "tab\\x09here\\x0d\\x0a"},  // C0 controls, newline included
      {"del\x7f", "del\\x7f"},                      // DEL
      {"caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80"},  // é — 😀
      {"\xc2\x9b"
       "31m",
       "\\xc2\\x9b31m"},                             // C1 CSI encoded as UTF-8
      {"\xff\xfe", "\\xff\\xfe"},                    // never valid in UTF-8
      {"\xc0\xaf", "\\xc0\\xaf"},                    // overlong '/'
      {"\xed\xa0\x80", "\\xed\\xa0\\x80"},           // UTF-16 surrogate
      {"\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"},  // above U+10FFFF
      {"cut\xe2\x80", "cut\\xe2\\x80"},              // truncated sequence at the end
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    CHECK(escape_for_terminal(c.in) == c.out);
  }
}

TEST_CASE("escape_for_terminal: a NUL inside the text is escaped, not a terminator") {
  CHECK(escape_for_terminal(std::string("a\0b", 3)) == "a\\x00b");
}
