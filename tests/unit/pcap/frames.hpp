// Cooked "any"-device frames (DLT_LINUX_SLL) built byte by byte, for the filter builders' tests.
#pragma once
#include <netinet/in.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "config.h"
#include "net/address.hpp"

namespace pcap_frames {

using nt::net::SocketAddress;

inline SocketAddress ip(const char* host, uint16_t port = 0) {
  return *SocketAddress::from_ip(host, port);
}

#if NETTOOL_HAVE_PCAP
constexpr int kDltLinuxSll = 113;
constexpr uint16_t kHost = 0, kOutgoing = 4;
constexpr uint16_t kEther = 1, kLoopback = 772;

struct Frame {
  std::vector<std::byte> bytes;
  void u8(unsigned v) { bytes.push_back(static_cast<std::byte>(v & 0xff)); }
  void u16(unsigned v) { u8(v >> 8), u8(v); }
  void zeros(std::size_t n) { bytes.insert(bytes.end(), n, std::byte{0}); }
  void addr(const SocketAddress& a) {
    const auto* sa = a.get();
    if (a.family() == AF_INET) {
      const auto* p =
          reinterpret_cast<const unsigned char*>(&reinterpret_cast<const sockaddr_in*>(sa)->sin_addr);
      for (int i = 0; i < 4; ++i) u8(p[i]);
    } else {
      const auto* p =
          reinterpret_cast<const unsigned char*>(&reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr);
      for (int i = 0; i < 16; ++i) u8(p[i]);
    }
  }
};

// SLL header + IP header (no options / no extension headers) from src to dst, protocol `proto`.
inline Frame ip_frame(uint16_t pkttype, uint16_t hatype, const char* src, const char* dst, unsigned proto,
                      unsigned payload_len) {
  Frame f;
  auto s = ip(src), d = ip(dst);
  const bool v6 = s.family() == AF_INET6;
  f.u16(pkttype), f.u16(hatype), f.u16(6), f.zeros(8), f.u16(v6 ? 0x86dd : 0x0800);
  if (v6) {
    f.u8(0x60), f.zeros(3), f.u16(payload_len), f.u8(proto), f.u8(64);
  } else {
    f.u8(0x45), f.u8(0), f.u16(20 + payload_len), f.zeros(4), f.u8(64), f.u8(proto), f.zeros(2);
  }
  f.addr(s), f.addr(d);
  return f;
}

inline Frame echo(const char* src, const char* dst, unsigned type, unsigned id, uint16_t pkttype = kHost,
                  uint16_t hatype = kLoopback) {
  const bool v6 = ip(src).family() == AF_INET6;
  Frame f = ip_frame(pkttype, hatype, src, dst, v6 ? 58 : 1, 16);
  f.u8(type), f.u8(0), f.zeros(2), f.u16(id), f.u16(1), f.zeros(8);
  return f;
}

inline Frame segment(const char* src, unsigned sport, const char* dst, unsigned dport, bool tcp = true) {
  const bool v6 = ip(src).family() == AF_INET6;
  Frame f = ip_frame(kHost, kLoopback, src, dst, tcp ? 6 : 17, tcp ? 20 : 8);
  f.u16(sport), f.u16(dport);
  if (tcp) {
    f.zeros(8), f.u8(0x50), f.u8(0x02), f.u16(65535), f.zeros(4);
  } else {
    f.u16(8), f.zeros(2);
  }
  (void)v6;
  return f;
}

#endif

}  // namespace pcap_frames
