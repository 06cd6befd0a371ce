#include "subcommands/ping/targets.hpp"

#include <fmt/format.h>

#include <unordered_map>

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

std::string merged_message(const std::vector<MergedTarget>& merged) {
  constexpr std::size_t kNamed = 3;
  std::string text =
      fmt::format("{} duplicate target{} merged:", merged.size(), merged.size() == 1 ? "" : "s");
  for (std::size_t i = 0; i < merged.size() && i < kNamed; ++i)
    text += fmt::format("{} {} (same address as {})", i ? "," : "", merged[i].name, merged[i].first);
  if (merged.size() > kNamed) text += ", …";
  return text;
}

TargetList expand_targets(const std::vector<std::string>& specs, int family) {
  TargetList list;
  std::unordered_map<std::string, std::size_t> seen;  // address → index in list.targets
  auto add = [&](Target t) {
    auto [it, fresh] = seen.try_emplace(address_key(t.address), list.targets.size());
    if (fresh) {
      list.targets.push_back(std::move(t));
    } else {
      list.merged.push_back({t.name, list.targets[it->second].name});
    }
  };
  auto check_cap = [&](std::size_t adding) {
    if (list.targets.size() + adding > kMaxHosts)
      throw UsageError(fmt::format("too many hosts: {} or more, at most {} per run",
                                   list.targets.size() + adding, kMaxHosts));
  };
  for (const auto& spec : specs) {
    if (auto block = expand_cidr(spec, family)) {
      check_cap(block->size());
      for (auto& a : *block) add(Target{a.host(), a, false});
      continue;
    }
    if (auto literal = net::SocketAddress::from_ip(spec)) {
      if (family != AF_UNSPEC && literal->family() != family) {
        throw UsageError(fmt::format("invalid host '{}': not an {} address", spec, family_name(family)));
      }
      check_cap(1);
      add(Target{spec, *literal, false});
      continue;
    }
    std::string problem;
    if (!net::valid_host(spec, &problem))
      throw UsageError(fmt::format("invalid host '{}': {}", spec, problem));
    check_cap(1);
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
