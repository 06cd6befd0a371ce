#include "subcommands/ping/targets.hpp"

#include <fmt/format.h>

#include <unordered_set>

#include "net/endpoint.hpp"
#include "net/ip_range.hpp"
#include "net/resolver.hpp"
#include "sys/error.hpp"

namespace nt::ping {

namespace {

const char* family_name(int family) {
  return family == AF_INET6 ? "IPv6" : "IPv4";
}

// The usable addresses of a block: for IPv4 prefixes up to /30 the network and broadcast addresses are
// left out, as fping -g does (RFC 3021: /31 and /32 have none to skip).
std::vector<net::SocketAddress> expand(const net::IpRange& r) {
  const uint64_t skip = r.family == AF_INET && r.prefix >= 0 && r.prefix <= 30 ? 1 : 0;
  std::vector<net::SocketAddress> out;
  out.reserve(static_cast<std::size_t>(r.count - 2 * skip));
  for (uint64_t i = skip; i < r.count - skip; ++i) out.push_back(r.at(i).socket_address(0));
  return out;
}

std::string address_key(const net::SocketAddress& a) {
  return std::string(reinterpret_cast<const char*>(a.get()), a.size());
}

}  // namespace

std::optional<std::vector<net::SocketAddress>> expand_cidr(std::string_view spec, int family) {
  const bool range = spec.find('-') != std::string_view::npos && net::looks_numeric(spec);
  if (spec.find('/') == std::string_view::npos && !range) return std::nullopt;
  const auto block = net::parse_ip_range(spec, kMaxCidrHosts, range ? "range" : "CIDR block");
  if (family != AF_UNSPEC && block.family != family)
    throw UsageError(fmt::format("invalid CIDR block '{}': not {}", spec, family_name(family)));
  return expand(block);
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
