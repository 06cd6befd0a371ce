#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "subcommands/chat/line_splitter.hpp"

using nt::chat::LineSplitter;

namespace {
struct Collected {
  std::vector<std::string> lines;
  int overlong = 0;
};

void feed(LineSplitter& s, std::string_view text, Collected& out) {
  auto bytes = std::as_bytes(std::span(text.data(), text.size()));
  s.feed(
      bytes, [&](std::string_view l) { out.lines.emplace_back(l); }, [&] { ++out.overlong; });
}

// Feeds `text` in pieces of `step` bytes.
Collected split(std::string_view text, std::size_t step, std::size_t max_line = 10) {
  LineSplitter s(max_line);
  Collected out;
  for (std::size_t i = 0; i < text.size(); i += step) feed(s, text.substr(i, step), out);
  return out;
}
}  // namespace

TEST_CASE("LineSplitter: lines come out whole whatever the chunking") {
  std::string text = "one\ntwo\r\n\nthree\nfour";
  for (std::size_t step : {1u, 2u, 3u, 5u, 7u, 100u}) {
    CAPTURE(step);
    Collected c = split(text, step);
    CHECK(c.lines == std::vector<std::string>{"one", "two", "", "three"});
    CHECK(c.overlong == 0);
  }
}

TEST_CASE("LineSplitter: an over-long line is reported once and skipped up to its newline") {
  std::string text = "short\n" + std::string(25, 'x') + "\nafter\n" + std::string(11, 'y') + "\nok\n";
  for (std::size_t step : {1u, 4u, 10u, 11u, 12u, 1000u}) {
    CAPTURE(step);
    Collected c = split(text, step);
    CHECK(c.lines == std::vector<std::string>{"short", "after", "ok"});
    CHECK(c.overlong == 2);
  }
}

TEST_CASE("LineSplitter: the limit is exact, a CR is not counted") {
  for (std::size_t step : {1u, 3u, 100u}) {
    CAPTURE(step);
    Collected c = split(std::string(10, 'a') + "\n" + std::string(10, 'b') + "\r\n", step);
    CHECK(c.lines == std::vector<std::string>{std::string(10, 'a'), std::string(10, 'b')});
    CHECK(split(std::string(10, 'a') + "\r\r\n", step).overlong == 1);
  }
}

TEST_CASE("LineSplitter: memory stays bounded by the limit for a line that never ends") {
  LineSplitter s(4096);
  Collected c;
  std::string mib(1 << 20, 'z');
  for (int i = 0; i < 8; ++i) {
    feed(s, mib, c);
    CHECK(s.buffered() <= 4097);
  }
  CHECK(c.overlong == 1);
  CHECK(s.discarding());
  feed(s, "tail\nnext\n", c);
  CHECK(c.lines == std::vector<std::string>{"next"});
  CHECK(c.overlong == 1);
}
