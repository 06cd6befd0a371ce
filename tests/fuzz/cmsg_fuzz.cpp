// Control messages as the kernel could hand them over: any bytes as a control buffer, walked, and every
// typed reader tried on every message (each must refuse a payload shorter than its type).
#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "net/cmsg.hpp"

using namespace nt::net;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::byte> control(size);  // its own allocation: ASan sees any read past the end
  if (size) std::memcpy(control.data(), data, size);
  ControlMessages(std::span<const std::byte>(control)).for_each([](const Cmsg& c) {
    timespec ts;
    int value;
    PacketInfo info;
    ExtendedError err;
    ucred cred;
    std::array<int, 8> fds;
    (void)read_timestamp(c, ts);
    (void)read_hop_limit(c, value);
    (void)read_traffic_class(c, value);
    (void)read_pktinfo(c, info);
    (void)read_extended_error(c, err);
    (void)read_fds(c, fds);
    (void)read_credentials(c, cred);
  });
  return 0;
}
