#include "subcommands/portscan/targets.hpp"

#include <netinet/in.h>

#include <algorithm>
#include <charconv>

#include "net/endpoint.hpp"
#include "sys/error.hpp"

namespace nt::scan {

namespace {

[[noreturn]] void bad(std::string_view spec, std::string_view problem) {
  throw UsageError(fmt::format("invalid target '{}': {}", spec, problem));
}

int bits_of(int family) {
  return family == AF_INET6 ? 128 : 32;
}

uint64_t checked_count(std::string_view spec, uint128 span) {
  if (span == 0 || span > kMaxAddresses) bad(spec, "more than 2^32 addresses");
  return static_cast<uint64_t>(span);
}

std::string_view strip_brackets(std::string_view s) {
  if (s.size() >= 2 && s.front() == '[' && s.back() == ']') return s.substr(1, s.size() - 2);
  return s;
}

TargetRange parse_cidr(std::string_view spec, std::string_view addr_text, std::string_view len_text) {
  auto addr = IpAddress::parse(strip_brackets(addr_text));
  if (!addr) bad(spec, "a CIDR block needs a numeric address before '/'");
  const int max_bits = bits_of(addr->family);
  int prefix = -1;
  auto [p, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), prefix);
  if (ec != std::errc() || p != len_text.data() + len_text.size() || prefix < 0 || prefix > max_bits)
    bad(spec, fmt::format("prefix length must be 0..{}", max_bits));
  const int host_bits = max_bits - prefix;
  if (host_bits > 32) bad(spec, "more than 2^32 addresses");
  const uint128 size = uint128{1} << host_bits;
  return {addr->family, addr->number() & ~(size - 1), checked_count(spec, size), std::string(spec)};
}

std::optional<TargetRange> parse_range(std::string_view spec, std::size_t dash) {
  auto first = IpAddress::parse(strip_brackets(spec.substr(0, dash)));
  if (!first) return std::nullopt;  // a name with a '-' in it
  const std::string_view rest = spec.substr(dash + 1);
  std::optional<IpAddress> last = IpAddress::parse(strip_brackets(rest));
  if (!last && first->family == AF_INET) {
    int octet = -1;
    auto [p, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), octet);
    if (ec != std::errc() || p != rest.data() + rest.size() || octet < 0 || octet > 255)
      bad(spec, "range end must be an address or a last octet 0..255");
    last = *first;
    last->bytes[3] = static_cast<uint8_t>(octet);
  }
  if (!last || last->family != first->family) bad(spec, "range ends must be addresses of one family");
  if (last->number() < first->number()) bad(spec, "range end is below its start");
  return TargetRange{first->family, first->number(),
                     checked_count(spec, last->number() - first->number() + 1), std::string(spec)};
}

}  // namespace

std::vector<TargetRange> parse_numeric_target(std::string_view spec) {
  if (spec.empty()) bad(spec, "empty");
  if (auto slash = spec.find('/'); slash != std::string_view::npos)
    return {parse_cidr(spec, spec.substr(0, slash), spec.substr(slash + 1))};
  if (auto addr = IpAddress::parse(strip_brackets(spec)))
    return {{addr->family, addr->number(), 1, std::string(spec)}};
  if (auto dash = spec.find('-'); dash != std::string_view::npos && dash > 0)
    if (auto r = parse_range(spec, dash)) return {*r};
  bad(spec, "not an address, CIDR block or range");
}

std::vector<TargetRange> parse_target(std::string_view spec, int family, const NameResolver& resolve) {
  std::vector<TargetRange> out;
  if (spec.empty()) bad(spec, "empty");
  // CLI11 2.1 reads a command-line "[a]-[b]" as its own "[x,y]" list syntax and hands on "a]-[b".
  std::string restored;
  if (spec.front() != '[' && spec.back() != ']' && spec.find("]-[") != std::string_view::npos) {
    restored = "[" + std::string(spec) + "]";
    spec = restored;
  }
  if (spec.front() == '-')
    bad(spec, "looks like an option (global options such as -4/-6 go before the command name)");
  const bool numeric = spec.find('/') != std::string_view::npos || IpAddress::parse(strip_brackets(spec)) ||
                       (spec.find('-') != std::string_view::npos &&
                        IpAddress::parse(strip_brackets(spec.substr(0, spec.find('-')))).has_value());
  if (numeric) {
    out = parse_numeric_target(spec);
  } else {
    std::string problem;
    if (!net::valid_host(spec, &problem)) bad(spec, problem.empty() ? "not a host name" : problem);
    const auto addrs = resolve(std::string(spec), family);
    if (addrs.empty()) bad(spec, "the name has no address");
    out.push_back({addrs.front().family, addrs.front().number(), 1, std::string(spec)});
  }
  for (const auto& r : out)
    if (family != AF_UNSPEC && r.family != family)
      bad(spec,
          family == AF_INET ? "not an IPv4 target but -4 was given" : "not an IPv6 target but -6 was given");
  return out;
}

std::vector<TargetRange> subtract(const std::vector<TargetRange>& ranges,
                                  const std::vector<TargetRange>& exclude) {
  std::vector<TargetRange> current = ranges;
  for (const auto& ex : exclude) {
    std::vector<TargetRange> next;
    const uint128 ex_lo = ex.first, ex_hi = ex.first + ex.count - 1;
    for (const auto& r : current) {
      const uint128 lo = r.first, hi = r.first + r.count - 1;
      if (r.family != ex.family || ex_hi < lo || ex_lo > hi) {
        next.push_back(r);
        continue;
      }
      if (ex_lo > lo) next.push_back({r.family, lo, static_cast<uint64_t>(ex_lo - lo), r.label});
      if (ex_hi < hi) next.push_back({r.family, ex_hi + 1, static_cast<uint64_t>(hi - ex_hi), r.label});
    }
    current = std::move(next);
  }
  return current;
}

TargetSet::TargetSet(std::vector<TargetRange> ranges) : ranges_(std::move(ranges)) {
  for (const auto& r : ranges_) {
    starts_.push_back(total_);
    total_ += r.count;
    if (total_ > kMaxAddresses) throw UsageError("too many target addresses: at most 2^32 per scan");
  }
}

std::size_t TargetSet::range_of(uint64_t index) const {
  auto it = std::upper_bound(starts_.begin(), starts_.end(), index);
  return static_cast<std::size_t>(it - starts_.begin()) - 1;
}

IpAddress TargetSet::at(uint64_t index) const {
  const std::size_t r = range_of(index);
  return ranges_[r].at(index - starts_[r]);
}

}  // namespace nt::scan
