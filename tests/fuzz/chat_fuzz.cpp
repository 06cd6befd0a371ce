// The chat protocol from the network: parse_message never throws, accepts only valid UTF-8 and gives what
// the general JSON path gives (its shortcut for plain message lines changes nothing); every
// message it accepts comes back out of to_line as a line that parses to the same type and prints the
// same again (flat form is a fixed point); the line splitter, fed the same bytes in two chunks split at
// an input-chosen point, hands out the same lines and never one longer than its maximum; chat-client's
// --wait-for parser refuses or yields a pattern that matches without a crash.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sys/error.hpp"

#include "subcommands/chat/client_match.hpp"
#include "subcommands/chat/line_splitter.hpp"
#include "subcommands/chat/protocol.hpp"

namespace {

std::vector<std::string> split(std::span<const std::byte> bytes, std::size_t cut, std::size_t max_line,
                               std::size_t& overlong) {
  nt::chat::LineSplitter splitter(max_line);
  std::vector<std::string> lines;
  auto on_line = [&](std::string_view line) {
    if (line.size() > max_line) __builtin_trap();
    lines.emplace_back(line);
  };
  auto on_overlong = [&] { ++overlong; };
  splitter.feed(bytes.first(cut), on_line, on_overlong);
  splitter.feed(bytes.subspan(cut), on_line, on_overlong);
  if (splitter.buffered() > max_line + 1) __builtin_trap();  // + a '\r' awaiting its '\n'
  return lines;
}

// parse_message's shortcut for the plain message line and the general JSON path agree on every line,
// and so do to_line's.
void same_as_general(std::string_view line, const nt::chat::ParseResult& parsed) {
  const auto general = nt::chat::parse_message_json(line);
  if (parsed.status != general.status || parsed.type != general.type || parsed.error != general.error)
    __builtin_trap();
  if (parsed.message.has_value() != general.message.has_value()) __builtin_trap();
  if (!parsed.message) return;
  if (nt::chat::to_line_json(*parsed.message) != nt::chat::to_line_json(*general.message)) __builtin_trap();
  if (nt::chat::to_line(*parsed.message) != nt::chat::to_line_json(*parsed.message)) __builtin_trap();
}

void round_trip(std::string_view line) {
  const auto parsed = nt::chat::parse_message(line);
  same_as_general(line, parsed);
  if (!parsed.ok()) return;
  if (!parsed.message || !nt::chat::valid_utf8(line)) __builtin_trap();
  const std::string out = nt::chat::to_line(*parsed.message);
  if (out.empty() || out.back() != '\n' || !nt::chat::valid_utf8(out)) __builtin_trap();
  const auto again = nt::chat::parse_message(std::string_view(out).substr(0, out.size() - 1));
  if (!again.ok() || nt::chat::type_name(*again.message) != nt::chat::type_name(*parsed.message))
    __builtin_trap();
  if (nt::chat::to_line(*again.message) != out) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto bytes = std::as_bytes(std::span(data + 1, size - 1));
  const std::size_t max_line = 8 + data[0] % 64;
  std::size_t overlong_a = 0, overlong_b = 0;
  const auto whole = split(bytes, bytes.size(), max_line, overlong_a);
  const auto halves = split(bytes, bytes.size() / (1 + data[0] % 3), max_line, overlong_b);
  if (whole != halves || overlong_a != overlong_b) __builtin_trap();
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  round_trip(text);
  (void)nt::chat::name_problem(text);
  // chat-client's --wait-for patterns: a UsageError or a pattern that a record can be matched against.
  try {
    const auto pattern = nt::chat::parse_pattern(text);
    (void)nt::chat::matches(pattern, nt::output::Json{{"type", "message"}, {"text", text}, {"n", 1}});
  } catch (const nt::UsageError&) {
  }
  return 0;
}
