#include "subcommands/portscan/packet.hpp"

#include <netinet/in.h>

#include <cstring>

#include "wire/big_endian.hpp"
#include "wire/checksum.hpp"
#include "wire/ip_header.hpp"

namespace nt::scan {

namespace {

using wire::read_u16, wire::read_u32, wire::read_u8, wire::write_u16, wire::write_u32;

// IPv4 fragment offset (RFC 791 §3.1): non-zero means the transport header is in another fragment.
bool later_fragment(const wire::IpHeaderView& ip, std::span<const std::byte> packet) noexcept {
  return ip.family == AF_INET && (read_u16(packet, 6) & 0x1fffu) != 0;
}

std::optional<IcmpError> parse_icmp(const wire::IpHeaderView& ip, std::span<const std::byte> body) noexcept {
  // Destination unreachable: ICMP type 3 (RFC 792), ICMPv6 type 1 (RFC 4443 §3.1). Both quote the
  // offending packet after 8 bytes of ICMP header.
  const bool v6 = ip.family == AF_INET6;
  if (body.size() < 8 || read_u8(body, 0) != (v6 ? 1 : 3)) return std::nullopt;
  const auto quoted_packet = body.subspan(8);
  const auto quoted = wire::view_ip(quoted_packet);
  if (!quoted.ok() || later_fragment(quoted, quoted_packet)) return std::nullopt;
  if (body.size() < 8 + quoted.length + 8) return std::nullopt;  // ports and sequence number
  IcmpError e{IpAddress::from_bytes(ip.family, ip.src),
              IpAddress::from_bytes(quoted.family, quoted.dst),
              quoted.protocol,
              0,
              0,
              0,
              v6,
              read_u8(body, 0),
              read_u8(body, 1)};
  const auto ports = body.subspan(8 + quoted.length);
  e.quoted_sport = read_u16(ports, 0);
  e.quoted_dport = read_u16(ports, 2);
  e.quoted_seq = read_u32(ports, 4);
  return e;
}

}  // namespace

bool quotes_our_syn(const IcmpError& e, uint16_t source_port, uint32_t expected_seq) noexcept {
  return e.quoted_protocol == IPPROTO_TCP && e.quoted_sport == source_port && e.quoted_seq == expected_seq;
}

uint32_t pseudo_header_sum(const IpAddress& src, const IpAddress& dst, uint8_t protocol,
                           uint32_t length) noexcept {
  const auto* s = reinterpret_cast<const std::byte*>(src.bytes.data());
  const auto* d = reinterpret_cast<const std::byte*>(dst.bytes.data());
  return wire::pseudo_header_sum({s, src.length()}, {d, dst.length()}, protocol, length);
}

std::size_t build_tcp_syn(std::span<std::byte> out, const SynProbe& p) noexcept {
  auto tcp = out.subspan(0, kTcpSynSize);
  std::memset(tcp.data(), 0, tcp.size());
  write_u16(tcp, 0, p.sport);
  write_u16(tcp, 2, p.dport);
  write_u32(tcp, 4, p.seq);
  write_u32(tcp, 8, 0);
  tcp[12] = std::byte((kTcpSynSize / 4) << 4);  // data offset in 32-bit words
  tcp[13] = std::byte(kTcpSyn);
  write_u16(tcp, 14, p.window);
  tcp[20] = std::byte(2);  // MSS option: kind 2, length 4
  tcp[21] = std::byte(4);
  write_u16(tcp, 22, p.mss);
  const uint32_t sum = pseudo_header_sum(p.src, p.dst, IPPROTO_TCP, kTcpSynSize);
  write_u16(tcp, 16, wire::checksum_finish(wire::checksum_add(sum, tcp)));
  return kTcpSynSize;
}

std::size_t build_ipv4_syn(std::span<std::byte> out, const SynProbe& p) noexcept {
  auto ip = out.subspan(0, kIpv4HeaderSize);
  std::memset(ip.data(), 0, ip.size());
  ip[0] = std::byte(0x45);  // version 4, IHL 5
  write_u16(ip, 2, kIpv4HeaderSize + kTcpSynSize);
  write_u16(ip, 4, p.ip_id);
  ip[8] = std::byte(64);  // TTL
  ip[9] = std::byte(IPPROTO_TCP);
  std::memcpy(ip.data() + 12, p.src.bytes.data(), 4);
  std::memcpy(ip.data() + 16, p.dst.bytes.data(), 4);
  write_u16(ip, 10, wire::internet_checksum(ip));
  build_tcp_syn(out.subspan(kIpv4HeaderSize), p);
  return kIpv4HeaderSize + kTcpSynSize;
}

std::size_t build_ipv6_syn(std::span<std::byte> out, const SynProbe& p) noexcept {
  auto ip = out.subspan(0, kIpv6HeaderSize);
  std::memset(ip.data(), 0, ip.size());
  ip[0] = std::byte(0x60);        // version 6, traffic class 0, flow label 0
  write_u16(ip, 4, kTcpSynSize);  // payload length
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
  const auto ip = wire::view_ip(packet);
  if (!ip.ok() || later_fragment(ip, packet)) return out;
  const auto body = ip.payload(packet);
  if (ip.protocol == IPPROTO_TCP && body.size() >= 20) {
    out.tcp = TcpSegment{IpAddress::from_bytes(ip.family, ip.src),
                         IpAddress::from_bytes(ip.family, ip.dst),
                         read_u16(body, 0),
                         read_u16(body, 2),
                         read_u32(body, 4),
                         read_u32(body, 8),
                         read_u8(body, 13)};
  } else if (ip.protocol == (ip.family == AF_INET6 ? int{IPPROTO_ICMPV6} : int{IPPROTO_ICMP})) {
    out.icmp = parse_icmp(ip, body);
  }
  return out;
}

std::span<const std::byte> strip_link_layer(int dlt, std::span<const std::byte> frame) noexcept {
  std::size_t offset = 0;
  switch (dlt) {
    case 1:  // DLT_EN10MB: 14-byte Ethernet header, optionally one 802.1Q tag
      if (frame.size() < 14) return {};
      offset = read_u16(frame, 12) == 0x8100 ? 18 : 14;
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
