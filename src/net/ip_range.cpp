#include "net/ip_range.hpp"

#include <fmt/format.h>
#include <sys/socket.h>

#include <bit>
#include <charconv>

#include "sys/error.hpp"

namespace nt::net {

namespace {

struct Spec {
  std::string_view text;
  uint64_t max;
  std::string_view noun;
  [[noreturn]] void bad(std::string_view problem) const {
    throw UsageError(fmt::format("invalid {} '{}': {}", noun, text, problem));
  }
  uint64_t checked_count(uint128 span) const {
    // span 0: the count wrapped around 2^128 (a range covering all of IPv6)
    if (span == 0 || span > max) bad(fmt::format("more than {} addresses", describe_limit(max)));
    return static_cast<uint64_t>(span);
  }
};

std::string_view strip_brackets(std::string_view s) {
  if (s.size() >= 2 && s.front() == '[' && s.back() == ']') return s.substr(1, s.size() - 2);
  return s;
}

std::optional<int> whole(std::string_view text, int max) {
  int n = -1;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size() || n < 0 || n > max) return {};
  return n;
}

IpRange parse_cidr(const Spec& s, std::size_t slash) {
  auto addr = IpAddress::parse(strip_brackets(s.text.substr(0, slash)));
  if (!addr) s.bad("a CIDR block needs a numeric address before '/'");
  const int max_bits = static_cast<int>(addr->length()) * 8;
  auto prefix = whole(s.text.substr(slash + 1), max_bits);
  if (!prefix) s.bad(fmt::format("prefix length must be 0..{}", max_bits));
  const int host_bits = max_bits - *prefix;
  if (host_bits >= 64) s.bad(fmt::format("more than {} addresses", describe_limit(s.max)));
  const uint128 size = uint128{1} << host_bits;
  return {addr->family, addr->number() & ~(size - 1), s.checked_count(size), *prefix};
}

std::optional<IpRange> parse_span(const Spec& s, std::size_t dash) {
  auto first = IpAddress::parse(strip_brackets(s.text.substr(0, dash)));
  if (!first) return std::nullopt;  // a name with a '-' in it
  const std::string_view rest = s.text.substr(dash + 1);
  std::optional<IpAddress> last = IpAddress::parse(strip_brackets(rest));
  if (!last && first->family == AF_INET) {
    auto octet = whole(rest, 255);
    if (!octet) s.bad("range end must be an address or a last octet 0..255");
    last = *first;
    last->bytes[3] = static_cast<uint8_t>(*octet);
  }
  if (!last || last->family != first->family) s.bad("range ends must be addresses of one family");
  if (last->number() < first->number()) s.bad("range end is below its start");
  return IpRange{first->family, first->number(), s.checked_count(last->number() - first->number() + 1), -1};
}

}  // namespace

std::string describe_limit(uint64_t max_addresses) {
  if (max_addresses > 65536 && std::has_single_bit(max_addresses))
    return fmt::format("2^{}", std::countr_zero(max_addresses));
  return std::to_string(max_addresses);
}

bool looks_numeric(std::string_view spec) {
  if (spec.find('/') != std::string_view::npos || IpAddress::parse(strip_brackets(spec))) return true;
  const auto dash = spec.find('-');
  return dash != std::string_view::npos && IpAddress::parse(strip_brackets(spec.substr(0, dash)));
}

IpRange parse_ip_range(std::string_view spec, uint64_t max_addresses, std::string_view noun) {
  const Spec s{spec, max_addresses, noun};
  if (spec.empty()) s.bad("empty");
  if (auto slash = spec.find('/'); slash != std::string_view::npos) return parse_cidr(s, slash);
  if (auto addr = IpAddress::parse(strip_brackets(spec))) return {addr->family, addr->number(), 1, -1};
  if (auto dash = spec.find('-'); dash != std::string_view::npos && dash > 0)
    if (auto r = parse_span(s, dash)) return *r;
  s.bad("not an address, CIDR block or range");
}

}  // namespace nt::net
