// The server's answer to one datagram, as a pure function of the bytes, the configuration and the
// clock readings (the socket loop lives in subcommands/udp_time). Amplification rules:
//   * malformed or non-client requests get nothing;
//   * an SNTP reply is the 48-byte header, never more than the request (which is ≥ 48 bytes);
//   * an RFC 868 reply is 4 bytes, a daytime reply at most kDaytimeMaxReply: never more than the
//     request + kMaxReplyGrowth;
//   * reflection (issue 16.1): source port 0 is never answered; daytime and time never answer a source
//     port below 1024 (echo 7, daytime 13, chargen 19, time 37, ntp 123…) unless allow_low_ports, nor
//     a datagram shaped like another server's reply (4 bytes, a text line, an NTP server packet), so
//     two servers can not be made to bounce datagrams at each other.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "subcommands/udp_time/daytime.hpp"
#include "subcommands/udp_time/sntp_packet.hpp"

namespace nt::timeproto {

enum class Protocol { daytime, time, sntp };
std::string protocol_name(Protocol p);
uint16_t standard_port(Protocol p);        // 13, 37, 123
uint16_t default_server_port(Protocol p);  // unprivileged: 10013, 10037, 10123

struct ResponderConfig {
  Protocol protocol = Protocol::sntp;
  uint8_t stratum = 10;
  int8_t precision = -20;
  uint32_t reference_id = 0;  // refid_from_ascii("LOCL") by default (set by the caller)
  double root_delay_s = 0;
  double root_dispersion_s = 0;
  DaytimeStyle daytime_style = DaytimeStyle::ctime;
  bool allow_low_ports = false;  // daytime/time: answer source ports 1-1023 too (--allow-low-ports)
};

// The most a reply may exceed its request by (daytime's longest line); SNTP replies never exceed it.
inline constexpr std::size_t kMaxReplyGrowth = 40;

// Why a datagram got no reply (or a KoD). `none` means answered normally.
enum class DropReason {
  none,
  malformed,
  oversized,
  not_client,
  bad_version,
  rate_limited,
  source_port,  // port 0, or below 1024 for daytime/time
  reply_like,   // daytime/time: looks like another time server's reply
};
inline constexpr std::size_t kDropReasons = 8;
std::string drop_reason_name(DropReason r);

// First step, before rate limiting: is this a request we would answer at all?
// `truncated`: the datagram did not fit the receive buffer (MSG_TRUNC).
DropReason check_request(const ResponderConfig& cfg, std::span<const std::byte> request,
                         bool truncated) noexcept;

// Before anything else: may a datagram from this source port be answered at all?
DropReason check_source_port(const ResponderConfig& cfg, uint16_t port) noexcept;

// Writes the reply for a request that passed check_request into `out` (≥ 48 bytes); returns its size.
// recv_ns/xmit_ns are Unix nanoseconds: when the request arrived and now (just before sending).
std::size_t build_reply(const ResponderConfig& cfg, std::span<const std::byte> request, int64_t recv_ns,
                        int64_t xmit_ns, std::span<std::byte> out) noexcept;

// An SNTP "RATE" kiss-o'-death (RFC 5905 §7.4) for a valid request: stratum 0, LI 3, same size as a reply.
std::size_t build_kod_rate(std::span<const std::byte> request, int64_t recv_ns, int64_t xmit_ns,
                           std::span<std::byte> out) noexcept;

// log2 of the clock's reading resolution, as NTP's precision field (e.g. -24 for ~60 ns).
int8_t measure_precision() noexcept;

}  // namespace nt::timeproto
