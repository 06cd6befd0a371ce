#include "subcommands/portscan/packet.hpp"

#include <netinet/in.h>

#include <cstring>

namespace nt::scan {

namespace {

void put16(std::span<std::byte> out, std::size_t at, uint16_t v) noexcept {
  out[at] = std::byte(v >> 8);
  out[at + 1] = std::byte(v & 0xff);
}
void put32(std::span<std::byte> out, std::size_t at, uint32_t v) noexcept {
  put16(out, at, static_cast<uint16_t>(v >> 16));
  put16(out, at + 2, static_cast<uint16_t>(v));
}
uint16_t get16(std::span<const std::byte> in, std::size_t at) noexcept {
  return static_cast<uint16_t>((std::to_integer<unsigned>(in[at]) << 8) |
                               std::to_integer<unsigned>(in[at + 1]));
}
uint32_t get32(std::span<const std::byte> in, std::size_t at) noexcept {
  return (uint32_t{get16(in, at)} << 16) | get16(in, at + 2);
}
uint8_t get8(std::span<const std::byte> in, std::size_t at) noexcept {
  return std::to_integer<uint8_t>(in[at]);
}

IpAddress read_address(std::span<const std::byte> in, std::size_t at, int family) noexcept {
  IpAddress a;
  a.family = family;
  std::memcpy(a.bytes.data(), in.data() + at, family == AF_INET6 ? 16 : 4);
  return a;
}

// The IP header of `packet`: family, header length, protocol, src/dst. Nothing if malformed.
struct IpView {
  int family = 0;
  std::size_t header = 0;
  uint8_t protocol = 0;
  IpAddress src, dst;
};

std::optional<IpView> view_ip(std::span<const std::byte> p) noexcept {
  if (p.empty()) return std::nullopt;
  const unsigned version = get8(p, 0) >> 4;
  IpView v;
  if (version == 4 && p.size() >= kIpv4HeaderSize) {
    v.family = AF_INET;
    v.header = (get8(p, 0) & 0x0f) * 4u;
    if (v.header < kIpv4HeaderSize || p.size() < v.header) return std::nullopt;
    v.protocol = get8(p, 9);
    v.src = read_address(p, 12, AF_INET);
    v.dst = read_address(p, 16, AF_INET);
    return v;
  }
  if (version == 6 && p.size() >= kIpv6HeaderSize) {
    v.family = AF_INET6;
    v.header = kIpv6HeaderSize;
    v.protocol = get8(p, 6);
    v.src = read_address(p, 8, AF_INET6);
    v.dst = read_address(p, 24, AF_INET6);
    return v;
  }
  return std::nullopt;
}

std::optional<IcmpError> parse_icmp(const IpView& ip, std::span<const std::byte> body) noexcept {
  // Destination unreachable: ICMP type 3 (RFC 792), ICMPv6 type 1 (RFC 4443 §3.1). Both quote the
  // offending packet after 8 bytes of ICMP header.
  const bool v6 = ip.family == AF_INET6;
  if (body.size() < 8 || get8(body, 0) != (v6 ? 1 : 3)) return std::nullopt;
  auto quoted = view_ip(body.subspan(8));
  if (!quoted || body.size() < 8 + quoted->header + 4) return std::nullopt;
  IcmpError e{ip.src, quoted->dst, quoted->protocol, 0, 0, v6, get8(body, 0), get8(body, 1)};
  const auto ports = body.subspan(8 + quoted->header);
  e.quoted_sport = get16(ports, 0);
  e.quoted_dport = get16(ports, 2);
  return e;
}

}  // namespace

uint32_t checksum_add(uint32_t sum, std::span<const std::byte> data) noexcept {
  std::size_t i = 0;
  for (; i + 1 < data.size(); i += 2) sum += get16(data, i);
  if (i < data.size()) sum += std::to_integer<uint32_t>(data[i]) << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return sum;
}

uint16_t checksum_finish(uint32_t sum) noexcept {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum & 0xffff);
}

uint32_t pseudo_header_sum(const IpAddress& src, const IpAddress& dst, uint8_t protocol,
                           uint32_t length) noexcept {
  const auto* s = reinterpret_cast<const std::byte*>(src.bytes.data());
  const auto* d = reinterpret_cast<const std::byte*>(dst.bytes.data());
  uint32_t sum = checksum_add(0, {s, src.length()});
  sum = checksum_add(sum, {d, dst.length()});
  sum += protocol;
  sum += length >> 16;
  sum += length & 0xffff;
  return sum;
}

std::size_t build_tcp_syn(std::span<std::byte> out, const SynProbe& p) noexcept {
  auto tcp = out.subspan(0, kTcpSynSize);
  std::memset(tcp.data(), 0, tcp.size());
  put16(tcp, 0, p.sport);
  put16(tcp, 2, p.dport);
  put32(tcp, 4, p.seq);
  put32(tcp, 8, 0);
  tcp[12] = std::byte((kTcpSynSize / 4) << 4);  // data offset in 32-bit words
  tcp[13] = std::byte(kTcpSyn);
  put16(tcp, 14, p.window);
  tcp[20] = std::byte(2);  // MSS option: kind 2, length 4
  tcp[21] = std::byte(4);
  put16(tcp, 22, p.mss);
  const uint32_t sum = pseudo_header_sum(p.src, p.dst, IPPROTO_TCP, kTcpSynSize);
  put16(tcp, 16, checksum_finish(checksum_add(sum, tcp)));
  return kTcpSynSize;
}

std::size_t build_ipv4_syn(std::span<std::byte> out, const SynProbe& p) noexcept {
  auto ip = out.subspan(0, kIpv4HeaderSize);
  std::memset(ip.data(), 0, ip.size());
  ip[0] = std::byte(0x45);  // version 4, IHL 5
  put16(ip, 2, kIpv4HeaderSize + kTcpSynSize);
  put16(ip, 4, p.ip_id);
  ip[8] = std::byte(64);  // TTL
  ip[9] = std::byte(IPPROTO_TCP);
  std::memcpy(ip.data() + 12, p.src.bytes.data(), 4);
  std::memcpy(ip.data() + 16, p.dst.bytes.data(), 4);
  put16(ip, 10, inet_checksum(ip));
  build_tcp_syn(out.subspan(kIpv4HeaderSize), p);
  return kIpv4HeaderSize + kTcpSynSize;
}

std::size_t build_ipv6_syn(std::span<std::byte> out, const SynProbe& p) noexcept {
  auto ip = out.subspan(0, kIpv6HeaderSize);
  std::memset(ip.data(), 0, ip.size());
  ip[0] = std::byte(0x60);    // version 6, traffic class 0, flow label 0
  put16(ip, 4, kTcpSynSize);  // payload length
  ip[6] = std::byte(IPPROTO_TCP);
  ip[7] = std::byte(64);  // hop limit
  std::memcpy(ip.data() + 8, p.src.bytes.data(), 16);
  std::memcpy(ip.data() + 24, p.dst.bytes.data(), 16);
  build_tcp_syn(out.subspan(kIpv6HeaderSize), p);
  return kIpv6HeaderSize + kTcpSynSize;
}

std::size_t build_ip_syn(std::span<std::byte> out, const SynProbe& p) noexcept {
  return p.dst.family == AF_INET6 ? build_ipv6_syn(out, p) : build_ipv4_syn(out, p);
}

ParsedPacket parse_ip_packet(std::span<const std::byte> packet) noexcept {
  ParsedPacket out;
  auto ip = view_ip(packet);
  if (!ip) return out;
  const auto body = packet.subspan(ip->header);
  if (ip->protocol == IPPROTO_TCP && body.size() >= 20) {
    out.tcp = TcpSegment{ip->src,        ip->dst,        get16(body, 0), get16(body, 2),
                         get32(body, 4), get32(body, 8), get8(body, 13)};
  } else if (ip->protocol == (ip->family == AF_INET6 ? int{IPPROTO_ICMPV6} : int{IPPROTO_ICMP})) {
    out.icmp = parse_icmp(*ip, body);
  }
  return out;
}

std::span<const std::byte> strip_link_layer(int dlt, std::span<const std::byte> frame) noexcept {
  std::size_t offset = 0;
  switch (dlt) {
    case 1:  // DLT_EN10MB: 14-byte Ethernet header, optionally one 802.1Q tag
      if (frame.size() < 14) return {};
      offset = get16(frame, 12) == 0x8100 ? 18 : 14;
      break;
    case 113:  // DLT_LINUX_SLL: 16-byte cooked header ("any" device)
      offset = 16;
      break;
    case 276:  // DLT_LINUX_SLL2: 20-byte cooked header
      offset = 20;
      break;
    case 0:  // DLT_NULL and DLT_LOOP: 4-byte family word
    case 108:
      offset = 4;
      break;
    case 12:  // DLT_RAW (and LINKTYPE_RAW 101): the packet itself
    case 101:
      offset = 0;
      break;
    default:
      return {};
  }
  if (frame.size() <= offset) return {};
  const auto ip = frame.subspan(offset);
  const unsigned version = std::to_integer<unsigned>(ip[0]) >> 4;
  return (version == 4 || version == 6) ? ip : std::span<const std::byte>{};
}

}  // namespace nt::scan
