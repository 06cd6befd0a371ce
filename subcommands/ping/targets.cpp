#include "subcommands/ping/targets.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>

#include <charconv>
#include <unordered_set>

#include "net/endpoint.hpp"
#include "net/resolver.hpp"
#include "sys/error.hpp"

namespace nt::ping {

namespace {

const char* family_name(int family) {
  return family == AF_INET6 ? "IPv6" : "IPv4";
}

net::SocketAddress v4_address(uint32_t host_order) {
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(host_order);
  return net::SocketAddress(reinterpret_cast<const sockaddr*>(&sin), sizeof sin);
}

std::vector<net::SocketAddress> expand_v4(const sockaddr_in& base, int prefix) {
  uint32_t mask = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
  uint32_t first = ntohl(base.sin_addr.s_addr) & mask;
  uint64_t size = uint64_t{1} << (32 - prefix);
  std::vector<net::SocketAddress> out;
  // RFC 3021: /31 and /32 have no network or broadcast address to skip.
  uint64_t skip = prefix <= 30 ? 1 : 0;
  out.reserve(static_cast<std::size_t>(size - 2 * skip));
  for (uint64_t i = skip; i < size - skip; ++i) out.push_back(v4_address(first + static_cast<uint32_t>(i)));
  return out;
}

std::vector<net::SocketAddress> expand_v6(const sockaddr_in6& base, int prefix) {
  sockaddr_in6 sin6 = base;
  for (int bit = prefix; bit < 128; ++bit)
    sin6.sin6_addr.s6_addr[bit / 8] &= static_cast<uint8_t>(~(0x80u >> (bit % 8)));
  uint64_t size = uint64_t{1} << (128 - prefix);
  std::vector<net::SocketAddress> out;
  out.reserve(static_cast<std::size_t>(size));
  for (uint64_t i = 0; i < size; ++i) {
    sockaddr_in6 a = sin6;
    uint32_t low = (uint32_t{a.sin6_addr.s6_addr[12]} << 24 | uint32_t{a.sin6_addr.s6_addr[13]} << 16 |
                    uint32_t{a.sin6_addr.s6_addr[14]} << 8 | a.sin6_addr.s6_addr[15]) +
                   static_cast<uint32_t>(i);
    for (int b = 0; b < 4; ++b) a.sin6_addr.s6_addr[15 - b] = static_cast<uint8_t>(low >> (8 * b));
    out.emplace_back(reinterpret_cast<const sockaddr*>(&a), static_cast<socklen_t>(sizeof a));
  }
  return out;
}

std::string address_key(const net::SocketAddress& a) {
  return std::string(reinterpret_cast<const char*>(a.get()), a.size());
}

}  // namespace

std::optional<std::vector<net::SocketAddress>> expand_cidr(std::string_view spec, int family) {
  auto slash = spec.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto bad = [&](const std::string& why) {
    return UsageError(fmt::format("invalid CIDR block '{}': {}", spec, why));
  };
  auto base = net::SocketAddress::from_ip(spec.substr(0, slash));
  if (!base || spec.substr(0, slash).find('%') != std::string_view::npos)
    throw bad("not an IP address before '/'");
  int max_prefix = base->family() == AF_INET6 ? 128 : 32;
  std::string_view digits = spec.substr(slash + 1);
  int prefix = -1;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || prefix < 0 ||
      prefix > max_prefix) {
    throw bad(fmt::format("prefix length must be 0-{}", max_prefix));
  }
  if (family != AF_UNSPEC && base->family() != family) throw bad(fmt::format("not {}", family_name(family)));
  if (max_prefix - prefix > 16) throw bad(fmt::format("more than {} addresses", kMaxCidrHosts));
  if (base->family() == AF_INET) return expand_v4(*reinterpret_cast<const sockaddr_in*>(base->get()), prefix);
  return expand_v6(*reinterpret_cast<const sockaddr_in6*>(base->get()), prefix);
}

std::vector<std::string> read_target_lines(std::istream& in) {
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    auto last = line.find_last_not_of(" \t\r");
    out.push_back(line.substr(first, last - first + 1));
  }
  return out;
}

TargetList expand_targets(const std::vector<std::string>& specs, int family) {
  TargetList list;
  std::unordered_set<std::string> seen;
  auto add = [&](Target t) {
    if (seen.insert(address_key(t.address)).second) list.targets.push_back(std::move(t));
  };
  for (const auto& spec : specs) {
    if (auto block = expand_cidr(spec, family)) {
      for (auto& a : *block) add(Target{a.host(), a, false});
      continue;
    }
    if (auto literal = net::SocketAddress::from_ip(spec)) {
      if (family != AF_UNSPEC && literal->family() != family) {
        throw UsageError(fmt::format("invalid host '{}': not an {} address", spec, family_name(family)));
      }
      add(Target{spec, *literal, false});
      continue;
    }
    std::string problem;
    if (!net::valid_host(spec, &problem))
      throw UsageError(fmt::format("invalid host '{}': {}", spec, problem));
    try {
      auto addrs = net::resolve_host(spec, family);
      if (addrs.empty()) throw RuntimeError("no address");
      add(Target{spec, addrs.front(), true});
    } catch (const std::exception& e) {
      list.errors.push_back(TargetError{spec, describe(e)});
    }
  }
  return list;
}

}  // namespace nt::ping
