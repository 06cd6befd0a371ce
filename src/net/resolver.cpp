#include "net/resolver.hpp"

#include <netdb.h>

#include <algorithm>
#include <memory>

#include "sys/error.hpp"

namespace nt::net {

namespace {
SocketAddress local_address_of(const Endpoint& ep) {
  return ep.kind == Endpoint::Kind::abstract ? SocketAddress::abstract(ep.host)
                                             : SocketAddress::unix_path(ep.host);
}

std::string family_note(int family) {
  if (family == AF_INET) return " (IPv4 only)";
  if (family == AF_INET6) return " (IPv6 only)";
  return "";
}

// RuntimeError("resolving 'host' (IPv6 only)") nesting the getaddrinfo (or errno) cause.
[[noreturn]] void throw_resolve_error(int rc, const std::string& host, int family) {
  // EAI_ADDRFAMILY reads "address family for hostname not supported"; with the family note the plain
  // "name or service not known" says it better.
  if (rc == EAI_ADDRFAMILY) rc = EAI_NONAME;
  int saved_errno = errno;
  try {
    if (rc == EAI_SYSTEM) throw std::system_error(saved_errno, std::generic_category());
    throw std::system_error(rc, gai_category());
  } catch (...) {
    std::throw_with_nested(RuntimeError(fmt::format("resolving '{}'{}", host, family_note(family))));
  }
}
}  // namespace

std::vector<SocketAddress> resolve(const Endpoint& ep, const ResolveOptions& opts) {
  if (ep.kind != Endpoint::Kind::inet) return {local_address_of(ep)};
  if (ep.host.empty()) {
    // Passive with no host: dual-stack wildcard unless -4 asked for IPv4 only.
    int family = opts.family == AF_INET ? AF_INET : AF_INET6;
    return {SocketAddress::any(family, ep.port)};
  }
  if (auto literal = SocketAddress::from_ip(ep.host, ep.port)) {
    if (opts.family != AF_UNSPEC && literal->family() != opts.family) {
      throw UsageError(fmt::format("address '{}' does not match{}", ep.host, family_note(opts.family)));
    }
    return {*literal};
  }
  addrinfo hints{};
  hints.ai_family = opts.family;
  hints.ai_socktype = opts.socktype == SOCK_RAW ? SOCK_DGRAM : opts.socktype;  // one entry per address
  // No AI_ADDRCONFIG: glibc ignores loopback when deciding which families are "configured", so in a
  // namespace with only lo (our tests) even "localhost" would fail to resolve.
  hints.ai_flags = opts.passive ? AI_PASSIVE : 0;
  addrinfo* raw = nullptr;
  int rc = ::getaddrinfo(ep.host.c_str(), nullptr, &hints, &raw);
  if (rc != 0) throw_resolve_error(rc, ep.host, opts.family);
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> list(raw, &::freeaddrinfo);
  std::vector<SocketAddress> out;
  for (auto* ai = list.get(); ai; ai = ai->ai_next) {
    SocketAddress a(ai->ai_addr, ai->ai_addrlen);
    a.set_port(ep.port);
    if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
  }
  return out;
}

std::vector<SocketAddress> resolve_host(const std::string& host, int family) {
  Endpoint ep;
  ep.host = host;
  return resolve(ep, ResolveOptions{family, SOCK_DGRAM, false});
}

}  // namespace nt::net
