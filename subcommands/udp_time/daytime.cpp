#include "subcommands/udp_time/daytime.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <charconv>
#include <ctime>

#include "subcommands/udp_time/ntp_time.hpp"

namespace nt::timeproto {

namespace {
constexpr std::array<const char*, 7> kDays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<const char*, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

int month_index(std::string_view name) {
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (name == kMonths[i]) return static_cast<int>(i);
  }
  return -1;
}

bool valid_tm(const std::tm& tm) {
  return tm.tm_mon >= 0 && tm.tm_mon < 12 && tm.tm_mday >= 1 && tm.tm_mday <= 31 && tm.tm_hour >= 0 &&
         tm.tm_hour < 24 && tm.tm_min >= 0 && tm.tm_min < 60 && tm.tm_sec >= 0 && tm.tm_sec <= 60 &&
         tm.tm_year >= 70 && tm.tm_year < 300;
}

// "Wed Nov 25 06:07:27 2026" optionally followed by " UTC" / " GMT".
std::optional<int64_t> parse_ctime(std::string_view s) {
  char day[4] = {}, mon[4] = {}, zone[5] = {};
  std::tm tm{};
  int year = 0;
  std::string str(s);
  // Field widths bound every number: %d on an overlong digit string (from the network) is undefined.
  int n = std::sscanf(str.c_str(), "%3s %3s %2d %2d:%2d:%2d %4d %4s", day, mon, &tm.tm_mday, &tm.tm_hour,
                      &tm.tm_min, &tm.tm_sec, &year, zone);
  if (n < 7) return std::nullopt;
  if (n == 8 && std::string_view(zone) != "UTC" && std::string_view(zone) != "GMT") return std::nullopt;
  tm.tm_mon = month_index(mon);
  tm.tm_year = year - 1900;
  if (!valid_tm(tm)) return std::nullopt;
  return static_cast<int64_t>(timegm(&tm)) * kNsPerS;
}

// Digits of fixed width at s[pos…]; -1 when not digits.
int digits(std::string_view s, std::size_t pos, std::size_t width) {
  if (pos + width > s.size()) return -1;
  // from_chars alone would take a sign: "06:-0:00" is not a time.
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
  }
  int v = 0;
  auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + width, v);
  return (ec == std::errc() && p == s.data() + pos + width) ? v : -1;
}

// Fractional seconds after '.', then Z or ±hh:mm. Returns offset from UTC in seconds via `zone_s`.
bool parse_fraction_and_zone(std::string_view rest, int64_t& frac_ns, int64_t& zone_s) {
  std::size_t i = 0;
  if (i < rest.size() && rest[i] == '.') {
    int64_t scale = kNsPerS / 10;
    for (++i; i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i])); ++i, scale /= 10) {
      frac_ns += (rest[i] - '0') * scale;
    }
  }
  rest.remove_prefix(i);
  if (rest == "Z" || rest == "z") return true;
  if (rest.size() != 6 || (rest[0] != '+' && rest[0] != '-') || rest[3] != ':') return false;
  int hh = digits(rest, 1, 2), mm = digits(rest, 4, 2);
  if (hh < 0 || mm < 0 || hh > 23 || mm > 59) return false;
  zone_s = (rest[0] == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
  return true;
}

// 2026-11-25T06:07:27[.123456](Z|±hh:mm)
std::optional<int64_t> parse_rfc3339(std::string_view s) {
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      s[13] != ':' || s[16] != ':') {
    return std::nullopt;
  }
  std::tm tm{};
  int year = digits(s, 0, 4);
  tm.tm_mon = digits(s, 5, 2) - 1;
  tm.tm_mday = digits(s, 8, 2);
  tm.tm_hour = digits(s, 11, 2);
  tm.tm_min = digits(s, 14, 2);
  tm.tm_sec = digits(s, 17, 2);
  tm.tm_year = year - 1900;
  int64_t frac_ns = 0, zone_s = 0;
  if (year < 0 || !valid_tm(tm) || !parse_fraction_and_zone(s.substr(19), frac_ns, zone_s))
    return std::nullopt;
  return (static_cast<int64_t>(timegm(&tm)) - zone_s) * kNsPerS + frac_ns;
}
}  // namespace

std::string format_daytime(int64_t unix_ns, DaytimeStyle style) {
  auto secs = static_cast<time_t>(unix_ns >= 0 ? unix_ns / kNsPerS : (unix_ns - kNsPerS + 1) / kNsPerS);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  if (style == DaytimeStyle::iso) {
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z\r\n", tm.tm_year + 1900, tm.tm_mon + 1,
                       tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (unix_ns - secs * kNsPerS) / 1000);
  }
  return fmt::format("{} {} {:2} {:02}:{:02}:{:02} {:04}\r\n", kDays[static_cast<std::size_t>(tm.tm_wday)],
                     kMonths[static_cast<std::size_t>(tm.tm_mon)], tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec, tm.tm_year + 1900);
}

std::optional<int64_t> parse_daytime(std::string_view text) {
  std::string_view s = trim(text);
  if (s.empty() || s.size() > 64) return std::nullopt;
  if (std::isdigit(static_cast<unsigned char>(s[0]))) return parse_rfc3339(s);
  return parse_ctime(s);
}

}  // namespace nt::timeproto
