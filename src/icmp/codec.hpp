// ICMP (RFC 792) and ICMPv6 (RFC 4443) echo messages as pure functions: building a request, and
// classifying whatever a socket hands back (echo reply, an error quoting one of our probes, or junk).
// No sockets, no clocks: everything here is unit-tested against byte vectors.
#pragma once
#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace nt::icmp {

inline constexpr uint8_t kEchoRequestV4 = 8, kEchoReplyV4 = 0;
inline constexpr uint8_t kDestUnreachV4 = 3, kSourceQuenchV4 = 4, kRedirectV4 = 5, kTimeExceededV4 = 11,
                         kParamProblemV4 = 12;
inline constexpr uint8_t kEchoRequestV6 = 128, kEchoReplyV6 = 129;
inline constexpr uint8_t kDestUnreachV6 = 1, kPacketTooBigV6 = 2, kTimeExceededV6 = 3, kParamProblemV6 = 4;

inline constexpr std::size_t kHeaderSize = 8;  // type, code, checksum, identifier, sequence
inline constexpr std::size_t kIpv4MinHeader = 20;
inline constexpr std::size_t kIpv6Header = 40;
inline constexpr int kMaxPayloadV4 = 65535 - 20 - 8;  // 65507: one IPv4 datagram, minimal header
inline constexpr int kMaxPayloadV6 = 65535 - 8;       // 65527: IPv6 payload length excludes its header

// A destination address as raw bytes (4 used for IPv4), so the codec needs no socket types.
struct RawAddress {
  int family = 0;  // AF_INET / AF_INET6, 0 when absent
  std::array<uint8_t, 16> bytes{};
  bool operator==(const RawAddress&) const = default;
};

// An echo request (header + payload) for the family. The ICMPv4 checksum is filled in; for ICMPv6 it
// stays 0 because the kernel computes it over the pseudo-header (RFC 4443 2.3, RFC 3542 3.1).
void encode_echo_request(int family, uint16_t id, uint16_t seq, std::span<const std::byte> payload,
                         std::vector<std::byte>& out);
// Rewrites identifier, sequence and checksum of a request built by encode_echo_request in place;
// `payload_sum` is checksum_partial(payload), computed once per run.
void update_echo_request(int family, std::span<std::byte> message, uint16_t id, uint16_t seq,
                         uint32_t payload_sum) noexcept;

enum class Kind {
  echo_reply,  // an echo reply: id, seq, payload, checksum_ok
  error,       // an ICMP error quoting an echo request: type, code, info, quoted
  other,       // well-formed but not for us (echo request, redirect, error quoting something else…)
  malformed,   // too short, bad IP header, inconsistent lengths: `problem` says which
};

struct QuotedProbe {
  RawAddress destination;  // where the quoted probe was going
  uint16_t id = 0;
  uint16_t seq = 0;
};

struct Message {
  Kind kind = Kind::malformed;
  const char* problem = "";  // static text for Kind::malformed / Kind::other
  uint8_t type = 0, code = 0;
  uint16_t id = 0, seq = 0;
  int ttl = -1;                        // from the IPv4 header when the packet carried one
  bool checksum_ok = true;             // ICMPv4 only; the kernel drops ICMPv6 with bad checksums
  uint32_t info = 0;                   // MTU (packet too big, frag needed) or pointer (parameter problem)
  std::span<const std::byte> payload;  // echo data after the 8-byte header
  QuotedProbe quoted;                  // Kind::error
};

// A packet from an AF_INET socket: raw sockets include the IPv4 header (with_ip_header), ICMP
// datagram sockets start at the ICMP header.
Message parse_v4(std::span<const std::byte> packet, bool with_ip_header) noexcept;
// A packet from an AF_INET6 ICMPv6 socket (raw or datagram): always starts at the ICMPv6 header.
Message parse_v6(std::span<const std::byte> packet) noexcept;
inline Message parse(int family, std::span<const std::byte> packet, bool with_ip_header) noexcept {
  return family == AF_INET6 ? parse_v6(packet) : parse_v4(packet, with_ip_header);
}

// An echo request we sent, as returned on the error queue of a datagram socket (IP_RECVERR).
Message parse_own_request(int family, std::span<const std::byte> packet) noexcept;

// True for types that report a problem with a datagram we sent (and quote it).
bool is_error_type(int family, uint8_t type) noexcept;

}  // namespace nt::icmp
