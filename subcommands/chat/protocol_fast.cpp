// The message line a chat server reads and writes by the thousand, without the general JSON code.
// nlohmann's lexer reads ~16 ns a byte (1.9 µs for a 120-byte message line) and building the
// broadcast line through an ordered_json took another 2.7 µs: at 1,000 lines to 99 receivers that was
// half the server's CPU (tests/bench/chat-server.sh). This is not a JSON parser. It recognises one exact
// shape, {"type":"message","text":"…"} (JSON whitespace allowed between the tokens) whose text needs no
// escape, and hands every other line to the general parser. The unit tests and the chat fuzz target
// check that both paths give the same message and the same line.
#include <fmt/format.h>

#include <iterator>

#include "subcommands/chat/protocol.hpp"

namespace nt::chat {

namespace {

class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}

  // Skips JSON whitespace (RFC 8259 §2), then takes `token` if it comes next.
  bool take(std::string_view token) noexcept {
    skip_space();
    if (!s_.starts_with(token)) return false;
    s_.remove_prefix(token.size());
    return true;
  }
  // The characters before the next '"', which is taken too.
  std::optional<std::string_view> until_quote() noexcept {
    auto end = s_.find('"');
    if (end == std::string_view::npos) return std::nullopt;
    auto text = s_.substr(0, end);
    s_.remove_prefix(end + 1);
    return text;
  }
  bool at_end() noexcept {
    skip_space();
    return s_.empty();
  }

 private:
  void skip_space() noexcept {
    while (!s_.empty() && (s_[0] == ' ' || s_[0] == '\t' || s_[0] == '\n' || s_[0] == '\r'))
      s_.remove_prefix(1);
  }
  std::string_view s_;
};

// RFC 8259 §7: only '"', '\' and the control characters below U+0020 must be escaped. A string
// without them is, between quotes, both its own encoding and its value.
bool needs_no_escape(std::string_view s) noexcept {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == '"' || c == '\\') return false;
  }
  return true;
}

// The text of a plain {"type":"message","text":"…"} line; nullopt for any other line.
std::optional<std::string_view> plain_message_text(std::string_view line) noexcept {
  Cursor in(line);
  if (!in.take("{") || !in.take(R"("type")") || !in.take(":") || !in.take(R"("message")") || !in.take(",") ||
      !in.take(R"("text")") || !in.take(":") || !in.take("\"")) {
    return std::nullopt;
  }
  auto text = in.until_quote();
  if (!text || !needs_no_escape(*text) || !in.take("}") || !in.at_end()) return std::nullopt;
  return text;
}

void append_string(std::string& out, std::string_view s) {
  if (!valid_utf8(s) || !needs_no_escape(s)) {
    out += json_string(s);
    return;
  }
  out += '"';
  out += s;
  out += '"';
}

// to_line_json's bytes for a chat message: the same keys in the same order.
std::string message_line(const ChatMessage& m) {
  std::string line = R"({"type":"message")";
  line.reserve(line.size() + m.text.size() + 64);
  if (m.from) {
    line += R"(,"from":)";
    append_string(line, *m.from);
  }
  if (m.to) {
    line += R"(,"to":)";
    append_string(line, *m.to);
  }
  if (m.id) fmt::format_to(std::back_inserter(line), R"(,"id":{})", *m.id);
  line += R"(,"text":)";
  append_string(line, m.text);
  line += "}\n";
  return line;
}

}  // namespace

ParseResult parse_message(std::string_view line) {
  std::string_view body = line;
  if (!body.empty() && body.back() == '\r') body.remove_suffix(1);
  // The general path gets the line as it came, so that its words for a refusal stay the same.
  if (!valid_utf8(body)) return parse_message_json(line);
  auto text = plain_message_text(body);
  if (!text) return parse_message_json(line);
  ParseResult r;
  r.message = ChatMessage{std::string(*text), std::nullopt, std::nullopt, std::nullopt};
  r.type = "message";
  return r;
}

std::string to_line(const Message& m) {
  if (const auto* chat = std::get_if<ChatMessage>(&m)) return message_line(*chat);
  return to_line_json(m);
}

}  // namespace nt::chat
