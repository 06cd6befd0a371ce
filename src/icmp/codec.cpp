#include "icmp/codec.hpp"

#include <netinet/in.h>

#include <algorithm>

#include "icmp/checksum.hpp"

namespace nt::icmp {

namespace {

uint8_t u8(std::span<const std::byte> p, std::size_t i) noexcept {
  return static_cast<uint8_t>(p[i]);
}
uint16_t be16(std::span<const std::byte> p, std::size_t i) noexcept {
  return static_cast<uint16_t>((u8(p, i) << 8) | u8(p, i + 1));
}
uint32_t be32(std::span<const std::byte> p, std::size_t i) noexcept {
  return (static_cast<uint32_t>(be16(p, i)) << 16) | be16(p, i + 2);
}
void put16(std::span<std::byte> p, std::size_t i, uint16_t v) noexcept {
  p[i] = static_cast<std::byte>(v >> 8);
  p[i + 1] = static_cast<std::byte>(v & 0xff);
}

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

RawAddress address_at(int family, std::span<const std::byte> p, std::size_t offset) noexcept {
  RawAddress a;
  a.family = family;
  std::size_t n = family == AF_INET ? 4 : 16;
  for (std::size_t i = 0; i < n; ++i) a.bytes[i] = u8(p, offset + i);
  return a;
}

// RFC 792: an ICMPv4 error carries the offending IP header plus at least 8 bytes of its payload;
// those 8 bytes are the echo request's header, which is all we need.
Message quoted_v4(Message m, std::span<const std::byte> quote) noexcept {
  if (quote.size() < kIpv4MinHeader) return malformed("ICMP error quotes less than an IPv4 header");
  std::size_t ihl = (u8(quote, 0) & 0x0fu) * 4u;
  if ((u8(quote, 0) >> 4) != 4 || ihl < kIpv4MinHeader)
    return malformed("ICMP error quotes a bad IPv4 header");
  if (u8(quote, 9) != IPPROTO_ICMP) return other(m, "ICMP error about a non-ICMP datagram");
  if (quote.size() < ihl + kHeaderSize) return malformed("ICMP error quotes less than 8 bytes of ICMP");
  if (u8(quote, ihl) != kEchoRequestV4)
    return other(m, "ICMP error about something other than an echo request");
  m.kind = Kind::error;
  m.quoted.destination = address_at(AF_INET, quote, 16);
  m.quoted.id = be16(quote, ihl + 4);
  m.quoted.seq = be16(quote, ihl + 6);
  return m;
}

// RFC 4443 2.4(c): an ICMPv6 error carries as much of the invoking packet as fits. We only follow an
// ICMPv6 next header directly after the fixed header (our probes carry no extension headers).
Message quoted_v6(Message m, std::span<const std::byte> quote) noexcept {
  if (quote.size() < kIpv6Header) return malformed("ICMPv6 error quotes less than an IPv6 header");
  if ((u8(quote, 0) >> 4) != 6) return malformed("ICMPv6 error quotes a non-IPv6 header");
  if (u8(quote, 6) != IPPROTO_ICMPV6) return other(m, "ICMPv6 error about a non-ICMPv6 packet");
  if (quote.size() < kIpv6Header + kHeaderSize)
    return malformed("ICMPv6 error quotes less than 8 bytes of ICMPv6");
  if (u8(quote, kIpv6Header) != kEchoRequestV6)
    return other(m, "ICMPv6 error about something other than an echo request");
  m.kind = Kind::error;
  m.quoted.destination = address_at(AF_INET6, quote, 24);
  m.quoted.id = be16(quote, kIpv6Header + 4);
  m.quoted.seq = be16(quote, kIpv6Header + 6);
  return m;
}

}  // namespace

void encode_echo_request(int family, uint16_t id, uint16_t seq, std::span<const std::byte> payload,
                         std::vector<std::byte>& out) {
  out.assign(kHeaderSize + payload.size(), std::byte{0});
  out[0] = static_cast<std::byte>(family == AF_INET6 ? kEchoRequestV6 : kEchoRequestV4);
  std::copy(payload.begin(), payload.end(), out.begin() + kHeaderSize);
  update_echo_request(family, out, id, seq, checksum_partial(payload));
}

void update_echo_request(int family, std::span<std::byte> message, uint16_t id, uint16_t seq,
                         uint32_t payload_sum) noexcept {
  put16(message, 2, 0);
  put16(message, 4, id);
  put16(message, 6, seq);
  if (family == AF_INET6) return;
  put16(message, 2, checksum_finish(checksum_partial(message.first(kHeaderSize), payload_sum)));
}

Message parse_v4(std::span<const std::byte> packet, bool with_ip_header) noexcept {
  int ttl = -1;
  std::span<const std::byte> icmp = packet;
  if (with_ip_header) {
    if (packet.size() < kIpv4MinHeader) return malformed("shorter than an IPv4 header");
    if ((u8(packet, 0) >> 4) != 4) return malformed("IP version is not 4");
    std::size_t ihl = (u8(packet, 0) & 0x0fu) * 4u;
    if (ihl < kIpv4MinHeader) return malformed("IPv4 header length below 20 bytes");
    if (ihl > packet.size()) return malformed("IPv4 header length beyond the packet");
    if (u8(packet, 9) != IPPROTO_ICMP) return other(Message{}, "not ICMP");
    ttl = u8(packet, 8);
    icmp = packet.subspan(ihl);
  }
  if (icmp.size() < kHeaderSize) return malformed("ICMP message shorter than 8 bytes");
  Message m;
  m.ttl = ttl;
  m.type = u8(icmp, 0);
  m.code = u8(icmp, 1);
  m.checksum_ok = checksum_valid(icmp);
  if (m.type == kEchoReplyV4) {
    m.kind = Kind::echo_reply;
    m.id = be16(icmp, 4);
    m.seq = be16(icmp, 6);
    m.payload = icmp.subspan(kHeaderSize);
    return m;
  }
  if (!is_error_type(AF_INET, m.type)) return other(m, "not an echo reply or error");
  if (m.type == kDestUnreachV4 && m.code == 4) m.info = be16(icmp, 6);  // RFC 1191 next-hop MTU
  if (m.type == kParamProblemV4) m.info = u8(icmp, 4);
  return quoted_v4(m, icmp.subspan(kHeaderSize));
}

Message parse_v6(std::span<const std::byte> packet) noexcept {
  if (packet.size() < kHeaderSize) return malformed("ICMPv6 message shorter than 8 bytes");
  Message m;
  m.type = u8(packet, 0);
  m.code = u8(packet, 1);
  if (m.type == kEchoReplyV6) {
    m.kind = Kind::echo_reply;
    m.id = be16(packet, 4);
    m.seq = be16(packet, 6);
    m.payload = packet.subspan(kHeaderSize);
    return m;
  }
  if (!is_error_type(AF_INET6, m.type)) return other(m, "not an echo reply or error");
  m.info = be32(packet, 4);  // MTU (packet too big) or pointer (parameter problem), RFC 4443 3.2/3.4
  return quoted_v6(m, packet.subspan(kHeaderSize));
}

Message parse_own_request(int family, std::span<const std::byte> packet) noexcept {
  if (packet.size() < kHeaderSize) return malformed("returned request shorter than 8 bytes");
  uint8_t want = family == AF_INET6 ? kEchoRequestV6 : kEchoRequestV4;
  Message m;
  m.type = u8(packet, 0);
  if (m.type != want) return other(m, "returned datagram is not an echo request");
  m.kind = Kind::error;
  m.quoted.id = be16(packet, 4);
  m.quoted.seq = be16(packet, 6);
  return m;
}

bool is_error_type(int family, uint8_t type) noexcept {
  if (family == AF_INET6) return type >= kDestUnreachV6 && type <= kParamProblemV6;
  return type == kDestUnreachV4 || type == kSourceQuenchV4 || type == kTimeExceededV4 ||
         type == kParamProblemV4;
}

}  // namespace nt::icmp
