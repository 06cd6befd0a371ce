// The message line a chat server reads and writes by the thousand, without the general JSON code.
// nlohmann's lexer reads ~16 ns a byte (1.9 µs for a 120-byte message line) and building the
// broadcast line through an ordered_json took another 2.7 µs: at 1,000 lines to 99 receivers that was
// half the server's CPU (tests/bench/chat-server.sh). This is not a JSON parser. It recognises the
// message line in the two shapes peers send, {"type":"message","text":"…"} and to_line's
// {"type":"message","from":"…","to":"…","id":N,"text":"…"} (optional fields in that order, JSON
// whitespace between the tokens), whose strings need no escape, and hands every other line to the
// general parser. The unit tests and the chat fuzz target check that both paths give the same message
// and the same line.
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
  // The ASCII digits that come next (no whitespace skipped inside a number).
  std::string_view digits() noexcept {
    skip_space();
    std::size_t n = 0;
    while (n < s_.size() && s_[n] >= '0' && s_[n] <= '9') ++n;
    auto d = s_.substr(0, n);
    s_.remove_prefix(n);
    return d;
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

// `"key":"value"` with a value that needs no escape, after a comma; nothing is taken when absent.
std::optional<std::string_view> string_field(Cursor& in, std::string_view quoted_key) noexcept {
  Cursor start = in;
  if (in.take(",") && in.take(quoted_key) && in.take(":") && in.take("\"")) {
    auto value = in.until_quote();
    if (value && needs_no_escape(*value)) return value;
  }
  in = start;
  return std::nullopt;
}

// `"id":N` after a comma, N a whole number of 1 to 19 digits without a leading zero (RFC 8259 §6), so
// it fits uint64_t; nothing is taken when absent or otherwise (the general parser decides those).
std::optional<uint64_t> id_field(Cursor& in) noexcept {
  Cursor start = in;
  if (in.take(",") && in.take(R"("id")") && in.take(":")) {
    std::string_view digits = in.digits();
    if (!digits.empty() && digits.size() <= 19 && (digits[0] != '0' || digits.size() == 1)) {
      uint64_t id = 0;
      for (char d : digits) id = id * 10 + static_cast<uint64_t>(d - '0');
      return id;
    }
  }
  in = start;
  return std::nullopt;
}

// A plain message line: {"type":"message"} with `text` and, in to_line's order, the optional `from`,
// `to` and `id` (a client sends the first form, a server the second); nullopt for any other line.
std::optional<ChatMessage> plain_message(std::string_view line) {
  Cursor in(line);
  if (!in.take("{") || !in.take(R"("type")") || !in.take(":") || !in.take(R"("message")"))
    return std::nullopt;
  auto from = string_field(in, R"("from")");
  auto to = string_field(in, R"("to")");
  auto id = id_field(in);
  auto text = string_field(in, R"("text")");
  if (!text || !in.take("}") || !in.at_end()) return std::nullopt;
  auto owned = [](std::optional<std::string_view> v) {
    return v ? std::optional<std::string>(*v) : std::nullopt;
  };
  return ChatMessage{std::string(*text), owned(from), owned(to), id};
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
  auto message = plain_message(body);
  if (!message) return parse_message_json(line);
  ParseResult r;
  r.message = std::move(*message);
  r.type = "message";
  return r;
}

std::string to_line(const Message& m) {
  if (const auto* chat = std::get_if<ChatMessage>(&m)) return message_line(*chat);
  return to_line_json(m);
}

}  // namespace nt::chat
