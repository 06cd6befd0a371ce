// Name resolution through getaddrinfo. Literals never touch DNS.
#pragma once
#include <sys/socket.h>

#include <string>
#include <vector>

#include "net/address.hpp"
#include "net/endpoint.hpp"

namespace nt::net {

struct ResolveOptions {
  int family = AF_UNSPEC;       // AF_INET / AF_INET6 for -4 / -6
  int socktype = SOCK_STREAM;   // SOCK_DGRAM, SOCK_RAW
  bool passive = false;         // for listening: empty host = wildcard
};

// Every address the endpoint names, in getaddrinfo order, ports set. Unix/abstract give one address.
// Throws std::system_error (gai_category) wrapped in RuntimeError("resolving 'host'").
std::vector<SocketAddress> resolve(const Endpoint& ep, const ResolveOptions& opts = {});

// Host only (port 0): for ICMP and scans.
std::vector<SocketAddress> resolve_host(const std::string& host, int family = AF_UNSPEC);

}  // namespace nt::net
