// --pcap: the ICMP traffic of this session, by echo identifier.
#include "net/socket.hpp"
#include "net/socket_calls.hpp"
#include "subcommands/ping/session.hpp"

namespace nt::ping {

namespace {

// A datagram ICMP socket's identifier is its local "port", chosen by the kernel (ping_get_port) at
// bind time or, without a bind, at the first send. Binding the wildcard now makes it known before.
uint16_t kernel_identifier(const icmp::IcmpSocket& socket) {
  uint16_t id = net::local_address(socket.fd.get()).port();
  if (id != 0) return id;
  net::bind_or_throw(socket.fd, net::SocketAddress::any(socket.family, 0));
  return net::local_address(socket.fd.get()).port();
}

}  // namespace

capture::TrafficFilter Session::own_traffic() const {
  capture::TrafficFilter traffic;
  for (const Channel& ch : channels_) {
    if (ch.hosts == 0) continue;
    if (!ch.socket.raw) {
      traffic.icmp_echo(ch.socket.family, kernel_identifier(ch.socket));
      continue;
    }
    // Raw: our identifiers, consecutive from the channel's first host (see the constructor).
    traffic.icmp_echo(ch.socket.family, hosts_[ch.only_host].ident, static_cast<uint32_t>(ch.hosts));
  }
  return traffic;
}

}  // namespace nt::ping
