// ICMP/ICMPv6 parser, with and without the IPv4 header, and the error-queue copy of our own request.
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <span>

#include "icmp/codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto packet = std::as_bytes(std::span(data, size));
  for (const auto& m :
       {nt::icmp::parse_v4(packet, true), nt::icmp::parse_v4(packet, false), nt::icmp::parse_v6(packet)}) {
    // A payload view must stay inside the input.
    if (!m.payload.empty() && (m.payload.data() < packet.data() ||
                               m.payload.data() + m.payload.size() > packet.data() + packet.size()))
      __builtin_trap();
  }
  (void)nt::icmp::parse_own_request(AF_INET, packet);
  (void)nt::icmp::parse_own_request(AF_INET6, packet);
  return 0;
}
