// What a client may believe of an SNTP reply (RFC 4330 §5, RFC 5905 §8 "bogus" tests). The socket
// is connected, so the kernel already drops datagrams from any other address and port.
#pragma once
#include <optional>
#include <span>
#include <string>

#include "subcommands/udp_time/sntp_packet.hpp"

namespace nt::timeproto {

enum class ReplyVerdict {
  ok,
  too_short,            // fewer than 48 bytes
  bad_version,          // version 0 or above 4
  wrong_mode,           // not mode 4 (server)
  wrong_origin,         // origin ≠ the transmit timestamp we sent: stale, duplicate or spoofed
  zero_transmit,        // the server never filled its transmit timestamp
  unsynchronised,       // leap indicator 3 or stratum 16+: the server does not know the time
  reversed_timestamps,  // transmit (t3) before receive (t2): no server answers before it hears us
  excessive_root,       // root delay or dispersion above RFC 5905's MAXDISP (16 s): bogus
  kod_deny,             // stratum 0 "DENY": access denied, stop querying
  kod_rstr,             // stratum 0 "RSTR": access restricted, stop querying
  kod_rate,             // stratum 0 "RATE": slow down
  kod_other,            // stratum 0 with any other code
};

struct CheckedReply {
  ReplyVerdict verdict = ReplyVerdict::too_short;
  std::optional<NtpPacket> packet;  // set unless too_short
};

// RFC 5905 §7.2 MAXDISP: no sane root delay or dispersion exceeds it (16.16 fixed point).
inline constexpr uint32_t kMaxRootDistance = 16U << 16;

CheckedReply check_reply(std::span<const std::byte> data, NtpTimestamp sent_transmit) noexcept;

// The snake_case name used in records ("wrong_origin", "kod_rate"…).
std::string verdict_name(ReplyVerdict v);
bool is_kod(ReplyVerdict v) noexcept;
// DENY and RSTR mean "never ask again" (RFC 5905 §7.4); RATE only means "later".
bool kod_stops(ReplyVerdict v) noexcept;

}  // namespace nt::timeproto
