// TCP SYN probes and the replies to them, as bytes: IPv4 header (RFC 791), TCP header (RFC 9293) with
// the pseudo-header checksum (wire/checksum.hpp), and a parser for what
// libpcap captures (link layer → IP → TCP, or ICMP/ICMPv6 errors quoting our probe).
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "net/ip_address.hpp"
#include "wire/ip_header.hpp"

namespace nt::scan {

using net::IpAddress, net::IpAddressHash, net::uint128;

inline constexpr uint8_t kTcpFin = 0x01, kTcpSyn = 0x02, kTcpRst = 0x04, kTcpPsh = 0x08, kTcpAck = 0x10;
inline constexpr std::size_t kIpv4HeaderSize = wire::kIpv4MinHeaderSize,
                             kIpv6HeaderSize = wire::kIpv6HeaderSize;
inline constexpr std::size_t kTcpSynSize = 24;  // SYN carries MSS

// Sum of the TCP/UDP pseudo-header for src/dst (v4 or v6), protocol and upper-layer length.
uint32_t pseudo_header_sum(const IpAddress& src, const IpAddress& dst, uint8_t protocol,
                           uint32_t length) noexcept;

struct SynProbe {
  IpAddress src, dst;
  uint16_t sport = 0, dport = 0;
  uint32_t seq = 0;
  uint16_t ip_id = 0;
  uint16_t window = 1024;
  uint16_t mss = 1460;
};

// TCP header (with an MSS option, as real stacks send) and its checksum: kTcpSynSize bytes.
std::size_t build_tcp_syn(std::span<std::byte> out, const SynProbe& p) noexcept;
// IPv4 header + TCP SYN for an IP_HDRINCL raw socket: kIpv4HeaderSize + kTcpSynSize bytes.
std::size_t build_ipv4_syn(std::span<std::byte> out, const SynProbe& p) noexcept;
// IPv6 header + TCP SYN for an IPPROTO_RAW (header-included) IPv6 socket: kIpv6HeaderSize + kTcpSynSize.
std::size_t build_ipv6_syn(std::span<std::byte> out, const SynProbe& p) noexcept;
// Either of the above by the probe's family. `out` must hold kIpv6HeaderSize + kTcpSynSize bytes.
std::size_t build_ip_syn(std::span<std::byte> out, const SynProbe& p) noexcept;

struct TcpSegment {
  IpAddress src, dst;
  uint16_t sport = 0, dport = 0;
  uint32_t seq = 0, ack = 0;
  uint8_t flags = 0;
};

// An ICMP destination-unreachable (or ICMPv6 type 1) quoting a packet we sent.
struct IcmpError {
  IpAddress reporter;    // who sent the ICMP error
  IpAddress quoted_dst;  // the destination of our packet
  uint8_t quoted_protocol = 0;
  uint16_t quoted_sport = 0, quoted_dport = 0;
  uint32_t quoted_seq = 0;  // the first 8 quoted transport bytes always hold it (RFC 792)
  bool v6 = false;
  uint8_t type = 0, code = 0;
};

// Whether an ICMP error quotes a SYN of ours: TCP, from our source port, and the sequence number we
// derived for the quoted destination address and port (so a forged error must guess 32 bits).
bool quotes_our_syn(const IcmpError& e, uint16_t source_port, uint32_t expected_seq) noexcept;

struct ParsedPacket {
  std::optional<TcpSegment> tcp;
  std::optional<IcmpError> icmp;
};

// Parses an IP packet (v4 or v6, no extension headers beyond the fixed header). Anything else: empty.
// IPv4 fragments are ignored: a non-first fragment (outer or quoted) carries no ports, and a first
// fragment too short to hold them is refused by the length checks.
ParsedPacket parse_ip_packet(std::span<const std::byte> packet) noexcept;

// The IP packet inside a captured frame of the given libpcap link type (DLT_EN10MB, DLT_LINUX_SLL,
// DLT_LINUX_SLL2, DLT_RAW, DLT_NULL/LOOP); empty span when the frame is not IPv4/IPv6.
std::span<const std::byte> strip_link_layer(int dlt, std::span<const std::byte> frame) noexcept;

}  // namespace nt::scan
