// The SYN scan's capture path: a link-layer frame (type chosen by the first byte) stripped to its IP
// packet, then parsed.
#include <pcap/dlt.h>

#include <cstddef>
#include <cstdint>
#include <span>

#include "subcommands/portscan/packet.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static constexpr int kLinkTypes[] = {DLT_EN10MB,     DLT_RAW,  DLT_LINUX_SLL,
                                       DLT_LINUX_SLL2, DLT_NULL, DLT_LOOP};
  const int dlt = kLinkTypes[data[0] % std::size(kLinkTypes)];
  const auto frame = std::as_bytes(std::span(data + 1, size - 1));
  const auto packet = nt::scan::strip_link_layer(dlt, frame);
  if (!packet.empty() &&
      (packet.data() < frame.data() || packet.data() + packet.size() > frame.data() + frame.size()))
    __builtin_trap();
  (void)nt::scan::parse_ip_packet(packet);
  (void)nt::scan::parse_ip_packet(frame);
  return 0;
}
