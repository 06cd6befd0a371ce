// User text → setsockopt bytes for `--set NAME=VALUE` (net/sockopt_value.hpp).
#include <fmt/format.h>
#include <sys/time.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#include "net/sockopt_value.hpp"
#include "sys/error.hpp"

namespace nt::net {

namespace {
template <typename T>
std::vector<std::byte> bytes_of(const T& v) {
  std::vector<std::byte> out(sizeof v);
  std::memcpy(out.data(), &v, sizeof v);
  return out;
}

[[noreturn]] void refuse(const SocketOption& o, std::string_view text, std::string_view expected) {
  throw UsageError(fmt::format("invalid --set '{}={}': expected {}", o.name, text, expected));
}

template <typename T>
bool parse_whole(std::string_view text, T& out) {
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    text.remove_prefix(2);
    base = 16;
  }
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out, base);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

int parse_bool(const SocketOption& o, std::string_view t) {
  for (std::string_view yes : {"1", "true", "on", "yes"})
    if (t == yes) return 1;
  for (std::string_view no : {"0", "false", "off", "no"})
    if (t == no) return 0;
  refuse(o, t, "a boolean: 1/0, true/false, on/off or yes/no");
}

int parse_int(const SocketOption& o, std::string_view t) {
  for (const auto& v : o.values)
    if (v.name == t) return v.value;
  int value = 0;
  if (parse_whole(t, value)) return value;
  std::string expected = "an integer";
  if (!o.values.empty()) {
    expected += " or one of:";
    for (const auto& v : o.values) expected += fmt::format(" {}", v.name);
  }
  refuse(o, t, expected);
}

double parse_seconds(const SocketOption& o, std::string_view t) {
  double v = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || end != t.data() + t.size() || !std::isfinite(v) || v < 0 || v > 1e9)
    refuse(o, t, "seconds from 0 to 1e9");
  return v;
}
std::vector<std::byte> encode_timeval(const SocketOption& o, std::string_view t) {
  const double s = parse_seconds(o, t);
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(s);
  tv.tv_usec = static_cast<suseconds_t>(std::llround((s - std::floor(s)) * 1e6) % 1'000'000);
  return bytes_of(tv);
}

std::vector<std::byte> encode_linger(const SocketOption& o, std::string_view t) {
  if (t == "off") return bytes_of(linger{0, 0});
  int s = 0;
  if (!parse_whole(t, s) || s < 0) refuse(o, t, "whole seconds (0: close resets) or off");
  return bytes_of(linger{1, s});
}

std::vector<std::byte> encode_name(const SocketOption& o, std::string_view t) {
  if (t.empty() || t.size() >= 64) refuse(o, t, "a name of 1 to 63 characters");
  std::vector<std::byte> out(t.size());
  std::memcpy(out.data(), t.data(), t.size());
  return out;
}
}  // namespace

std::vector<std::byte> encode_option_value(const SocketOption& o, std::string_view t) {
  if (!(o.access & kWrite))
    throw UsageError(fmt::format("invalid --set '{}={}': {} is read-only", o.name, t, o.name));
  switch (o.type) {
    case OptionType::boolean:
      return bytes_of(parse_bool(o, t));
    case OptionType::integer:
      return bytes_of(parse_int(o, t));
    case OptionType::u32: {
      uint32_t v = 0;
      if (!parse_whole(t, v)) refuse(o, t, "an unsigned 32-bit integer");
      return bytes_of(v);
    }
    case OptionType::u64: {
      uint64_t v = 0;
      if (!parse_whole(t, v)) refuse(o, t, "an unsigned 64-bit integer");
      return bytes_of(v);
    }
    case OptionType::timeval:
      return encode_timeval(o, t);
    case OptionType::linger:
      return encode_linger(o, t);
    case OptionType::string:
    case OptionType::ifname:
      return encode_name(o, t);
    default:
      throw UsageError(
          fmt::format("invalid --set '{}={}': {} takes a structure; --set sets numbers, "
                      "booleans, names, seconds and strings",
                      o.name, t, o.name));
  }
}

}  // namespace nt::net
