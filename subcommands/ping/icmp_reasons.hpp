// Reasons for ICMP errors as ping prints them (iputils wording).
#pragma once
#include <cstdint>
#include <string>

namespace nt::ping {

// Human reason for an ICMP error, iputils wording: "Time to live exceeded", "Destination Host
// Unreachable", "Frag needed and DF set (mtu = 1400)".
std::string describe_error(int family, uint8_t type, uint8_t code, uint32_t info);

}  // namespace nt::ping
