#include "tls/config.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>

#include "sys/error.hpp"

namespace nt::tls {
namespace {

constexpr std::string_view kPinPrefix = "sha256:";
constexpr std::size_t kSha256Base64Length = 44;  // 32 bytes → 44 characters with one '=' of padding

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

}  // namespace

int parse_min_version(std::string_view text) {
  if (text == "1.2") return TLS1_2_VERSION;
  if (text == "1.3") return TLS1_3_VERSION;
  throw UsageError(fmt::format("TLS version '{}': expected 1.2 or 1.3", text));
}

std::vector<std::string> parse_alpn(std::string_view text) {
  std::vector<std::string> names;
  while (true) {
    const std::size_t comma = text.find(',');
    const std::string_view name = text.substr(0, comma);
    if (name.empty() || name.size() > 255)
      throw UsageError(fmt::format("ALPN protocol '{}': each name must be 1 to 255 bytes", name));
    names.emplace_back(name);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return names;
}

std::string alpn_wire(const std::vector<std::string>& names) {
  std::string wire;
  for (const auto& name : names) {
    wire.push_back(static_cast<char>(name.size()));
    wire += name;
  }
  return wire;
}

std::string parse_pin(std::string_view text) {
  const auto bad = [&](std::string_view why) {
    return UsageError(fmt::format("pin '{}': {} (expected sha256:BASE64 of the public key)", text, why));
  };
  if (!text.starts_with(kPinPrefix)) throw bad("unknown hash");
  const std::string_view b64 = text.substr(kPinPrefix.size());
  if (b64.size() != kSha256Base64Length || b64.back() != '=') throw bad("not 32 bytes of base64");
  for (char c : b64.substr(0, b64.size() - 1))
    if (!is_base64_char(c)) throw bad("not base64");
  unsigned char out[48];
  if (EVP_DecodeBlock(out, reinterpret_cast<const unsigned char*>(b64.data()),
                      static_cast<int>(b64.size())) != 33)
    throw bad("not 32 bytes of base64");
  return std::string(text);
}

}  // namespace nt::tls
