// Opening and preparing ICMP sockets. Datagram first (unprivileged "ping sockets", allowed for the
// groups in net.ipv4.ping_group_range, which also covers ICMPv6), raw as the fallback (CAP_NET_RAW),
// as iputils' create_socket does. All sockets are non-blocking and close-on-exec.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "net/address.hpp"
#include "net/fd.hpp"

namespace nt::icmp {

enum class SocketMode { automatic, raw, dgram };

struct IcmpSocket {
  net::UniqueFd fd;
  int family = 0;
  bool raw = false;  // raw: IPv4 packets arrive with their IP header; we choose the identifier
};

// Throws PrivilegeError (exit 4) when the kernel refuses both kinds for lack of permission, naming
// the current ping_group_range, the caller's gid and the setcap alternative; RuntimeError otherwise
// (e.g. IPv6 disabled).
IcmpSocket open_icmp_socket(int family, SocketMode mode);

// The advice part of that message (exposed for tests): what to grant and how.
std::string privilege_advice(int family, SocketMode mode, int dgram_errno, int raw_errno);

struct SocketSetup {
  int ttl = -1;                              // IP_TTL / IPV6_UNICAST_HOPS; -1 keeps the kernel default
  int tos = -1;                              // IP_TOS / IPV6_TCLASS
  std::string device;                        // SO_BINDTODEVICE
  std::optional<net::SocketAddress> source;  // bind(2) to this local address
  int receive_buffer = 4 << 20;              // room for a burst of replies from thousands of hosts
};

// Filters (raw), receive-side metadata (kernel timestamps, TTL / hop limit, IP_RECVERR on datagram
// sockets) and the user's settings. Throws with the option that failed as context.
void configure_icmp_socket(const IcmpSocket& sock, const SocketSetup& setup);

}  // namespace nt::icmp
