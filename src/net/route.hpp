// One route lookup through rtnetlink (RTM_GETROUTE, rtnetlink(7)): the interface the kernel would
// send a datagram to `dest` out of, as `ip route get` answers, without sending anything. Needed
// where the source address does not tell the interface (a route on an interface without an
// address of the family, multicast routes in the IPv6 local table).
#pragma once
#include "net/address.hpp"

namespace nt::net {

// The output interface index for `dest` (IPv4 or IPv6), or -errno: -ENETUNREACH when there is no
// route, -EHOSTUNREACH / -EINVAL for what the kernel refuses.
[[nodiscard]] int route_output_interface(const SocketAddress& dest) noexcept;

}  // namespace nt::net
