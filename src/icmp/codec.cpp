#include "icmp/codec.hpp"

#include <netinet/in.h>

#include <algorithm>

#include "wire/big_endian.hpp"
#include "wire/checksum.hpp"
#include "wire/ip_header.hpp"

namespace nt::icmp {

using wire::read_u16, wire::read_u32, wire::read_u8, wire::write_u16;

namespace {

Message malformed(const char* problem) noexcept {
  Message m;
  m.kind = Kind::malformed;
  m.problem = problem;
  return m;
}

Message other(Message m, const char* why) noexcept {
  m.kind = Kind::other;
  m.problem = why;
  return m;
}

RawAddress raw_address(int family, std::span<const std::byte> bytes) noexcept {
  RawAddress a;
  a.family = family;
  for (std::size_t i = 0; i < bytes.size(); ++i) a.bytes[i] = read_u8(bytes, i);
  return a;
}

// RFC 792: an ICMPv4 error carries the offending IP header plus at least 8 bytes of its payload;
// those 8 bytes are the echo request's header, which is all we need.
Message quoted_v4(Message m, std::span<const std::byte> quote) noexcept {
  const auto ip = wire::view_ipv4(quote);
  if (ip.problem == wire::IpProblem::truncated)
    return malformed("ICMP error quotes less than an IPv4 header");
  if (ip.problem == wire::IpProblem::version || ip.problem == wire::IpProblem::header_length)
    return malformed("ICMP error quotes a bad IPv4 header");
  if (read_u8(quote, 9) != IPPROTO_ICMP) return other(m, "ICMP error about a non-ICMP datagram");
  if (!ip.ok() || quote.size() < ip.length + kHeaderSize)
    return malformed("ICMP error quotes less than 8 bytes of ICMP");
  if (read_u8(quote, ip.length) != kEchoRequestV4)
    return other(m, "ICMP error about something other than an echo request");
  m.kind = Kind::error;
  m.quoted.destination = raw_address(AF_INET, ip.dst);
  m.quoted.id = read_u16(quote, ip.length + 4);
  m.quoted.seq = read_u16(quote, ip.length + 6);
  return m;
}

// RFC 4443 2.4(c): an ICMPv6 error carries as much of the invoking packet as fits. We only follow an
// ICMPv6 next header directly after the fixed header (our probes carry no extension headers).
Message quoted_v6(Message m, std::span<const std::byte> quote) noexcept {
  const auto ip = wire::view_ipv6(quote);
  if (ip.problem == wire::IpProblem::truncated)
    return malformed("ICMPv6 error quotes less than an IPv6 header");
  if (!ip.ok()) return malformed("ICMPv6 error quotes a non-IPv6 header");
  if (ip.protocol != IPPROTO_ICMPV6) return other(m, "ICMPv6 error about a non-ICMPv6 packet");
  if (quote.size() < kIpv6Header + kHeaderSize)
    return malformed("ICMPv6 error quotes less than 8 bytes of ICMPv6");
  if (read_u8(quote, kIpv6Header) != kEchoRequestV6)
    return other(m, "ICMPv6 error about something other than an echo request");
  m.kind = Kind::error;
  m.quoted.destination = raw_address(AF_INET6, ip.dst);
  m.quoted.id = read_u16(quote, kIpv6Header + 4);
  m.quoted.seq = read_u16(quote, kIpv6Header + 6);
  return m;
}

}  // namespace

void encode_echo_request(int family, uint16_t id, uint16_t seq, std::span<const std::byte> payload,
                         std::vector<std::byte>& out) {
  out.assign(kHeaderSize + payload.size(), std::byte{0});
  out[0] = static_cast<std::byte>(family == AF_INET6 ? kEchoRequestV6 : kEchoRequestV4);
  std::copy(payload.begin(), payload.end(), out.begin() + kHeaderSize);
  update_echo_request(family, out, id, seq, wire::checksum_add(0, payload));
}

void update_echo_request(int family, std::span<std::byte> message, uint16_t id, uint16_t seq,
                         uint32_t payload_sum) noexcept {
  write_u16(message, 2, 0);
  write_u16(message, 4, id);
  write_u16(message, 6, seq);
  if (family == AF_INET6) return;
  write_u16(message, 2, wire::checksum_finish(wire::checksum_add(payload_sum, message.first(kHeaderSize))));
}

Message parse_v4(std::span<const std::byte> packet, bool with_ip_header) noexcept {
  int ttl = -1;
  std::span<const std::byte> icmp = packet;
  if (with_ip_header) {
    const auto ip = wire::view_ipv4(packet);
    switch (ip.problem) {
      case wire::IpProblem::none:
        break;
      case wire::IpProblem::truncated:
        return malformed("shorter than an IPv4 header");
      case wire::IpProblem::version:
        return malformed("IP version is not 4");
      case wire::IpProblem::header_length:
        return malformed("IPv4 header length below 20 bytes");
      case wire::IpProblem::beyond_packet:
        return malformed("IPv4 header length beyond the packet");
    }
    if (ip.protocol != IPPROTO_ICMP) return other(Message{}, "not ICMP");
    ttl = ip.ttl;
    icmp = ip.payload(packet);
  }
  if (icmp.size() < kHeaderSize) return malformed("ICMP message shorter than 8 bytes");
  Message m;
  m.ttl = ttl;
  m.type = read_u8(icmp, 0);
  m.code = read_u8(icmp, 1);
  m.checksum_ok = wire::checksum_valid(icmp);
  if (m.type == kEchoReplyV4) {
    m.kind = Kind::echo_reply;
    m.id = read_u16(icmp, 4);
    m.seq = read_u16(icmp, 6);
    m.payload = icmp.subspan(kHeaderSize);
    return m;
  }
  if (!is_error_type(AF_INET, m.type)) return other(m, "not an echo reply or error");
  if (m.type == kDestUnreachV4 && m.code == 4) m.info = read_u16(icmp, 6);  // RFC 1191 next-hop MTU
  if (m.type == kParamProblemV4) m.info = read_u8(icmp, 4);
  return quoted_v4(m, icmp.subspan(kHeaderSize));
}

Message parse_v6(std::span<const std::byte> packet) noexcept {
  if (packet.size() < kHeaderSize) return malformed("ICMPv6 message shorter than 8 bytes");
  Message m;
  m.type = read_u8(packet, 0);
  m.code = read_u8(packet, 1);
  if (m.type == kEchoReplyV6) {
    m.kind = Kind::echo_reply;
    m.id = read_u16(packet, 4);
    m.seq = read_u16(packet, 6);
    m.payload = packet.subspan(kHeaderSize);
    return m;
  }
  if (!is_error_type(AF_INET6, m.type)) return other(m, "not an echo reply or error");
  m.info = read_u32(packet, 4);  // MTU (packet too big) or pointer (parameter problem), RFC 4443 3.2/3.4
  return quoted_v6(m, packet.subspan(kHeaderSize));
}

Message parse_own_request(int family, std::span<const std::byte> packet) noexcept {
  if (packet.size() < kHeaderSize) return malformed("returned request shorter than 8 bytes");
  uint8_t want = family == AF_INET6 ? kEchoRequestV6 : kEchoRequestV4;
  Message m;
  m.type = read_u8(packet, 0);
  if (m.type != want) return other(m, "returned datagram is not an echo request");
  m.kind = Kind::error;
  m.quoted.id = read_u16(packet, 4);
  m.quoted.seq = read_u16(packet, 6);
  return m;
}

bool is_error_type(int family, uint8_t type) noexcept {
  if (family == AF_INET6) return type >= kDestUnreachV6 && type <= kParamProblemV6;
  return type == kDestUnreachV4 || type == kSourceQuenchV4 || type == kTimeExceededV4 ||
         type == kParamProblemV4;
}

}  // namespace nt::icmp
