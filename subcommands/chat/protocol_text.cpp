// Text rules of the chat protocol: UTF-8 validity (RFC 3629 §4) and the name rules.
#include <fmt/format.h>

#include "subcommands/chat/protocol.hpp"

namespace nt::chat {

namespace {

// Decodes one code point at s[i]; returns its length, or 0 when the bytes there are not well-formed.
std::size_t decode_one(std::string_view s, std::size_t i, char32_t& cp) noexcept {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  unsigned char c = b(0);
  if (c < 0x80) {
    cp = c;
    return 1;
  }
  std::size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
  if (len == 0 || i + len > s.size()) return 0;
  cp = c & (0x7F >> len);
  for (std::size_t k = 1; k < len; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(k) & 0x3F);
  }
  // Overlong 3- and 4-byte forms, UTF-16 surrogates and code points past U+10FFFF (2-byte overlongs
  // are excluded by the 0xC2 lower bound above).
  if (len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) return 0;
  if (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) return 0;
  return len;
}

bool is_control(char32_t cp) noexcept {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029;
}

}  // namespace

bool valid_utf8(std::string_view text) noexcept {
  for (std::size_t i = 0; i < text.size();) {
    // ASCII runs are the common case: skip them a byte at a time without decoding.
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    char32_t cp = 0;
    std::size_t n = decode_one(text, i, cp);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::optional<std::string> name_problem(std::string_view name) {
  if (name.empty()) return "the name is empty";
  std::size_t chars = 0;
  bool only_spaces = true;
  for (std::size_t i = 0; i < name.size();) {
    char32_t cp = 0;
    std::size_t n = decode_one(name, i, cp);
    if (n == 0) return "the name is not valid UTF-8";
    if (is_control(cp)) return "the name contains a control character";
    only_spaces = only_spaces && cp == ' ';
    ++chars;
    i += n;
  }
  if (chars > kMaxNameChars) return fmt::format("the name is longer than {} characters", kMaxNameChars);
  if (only_spaces) return "the name is only spaces";
  return std::nullopt;
}

}  // namespace nt::chat
