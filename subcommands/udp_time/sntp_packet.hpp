// The NTP/SNTP packet header (RFC 5905 §7.3, RFC 4330 §4): 48 bytes, big-endian. Extension fields
// and MACs after the header are tolerated on input and never produced.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "subcommands/udp_time/ntp_time.hpp"

namespace nt::timeproto {

inline constexpr std::size_t kNtpHeaderSize = 48;
// The largest request we treat as NTP: header + extension fields/MAC. Anything bigger is abuse.
inline constexpr std::size_t kNtpMaxRequestSize = 1024;

enum class Leap : uint8_t { none = 0, add_second = 1, del_second = 2, unsynchronised = 3 };
enum class Mode : uint8_t {
  reserved = 0,
  symmetric_active = 1,
  symmetric_passive = 2,
  client = 3,
  server = 4,
  broadcast = 5,
  control = 6,
  private_use = 7,
};

struct NtpPacket {
  Leap leap = Leap::none;
  uint8_t version = 4;
  Mode mode = Mode::client;
  uint8_t stratum = 0;
  int8_t poll = 0;
  int8_t precision = 0;
  uint32_t root_delay = 0;       // 16.16 seconds
  uint32_t root_dispersion = 0;  // 16.16 seconds
  uint32_t reference_id = 0;     // as on the wire (big-endian bytes read as a number)
  NtpTimestamp reference;
  NtpTimestamp origin;
  NtpTimestamp receive;
  NtpTimestamp transmit;
};

using NtpBytes = std::array<std::byte, kNtpHeaderSize>;

NtpBytes encode(const NtpPacket& p) noexcept;
// nullopt when shorter than the header; trailing bytes (extensions, MAC) are ignored.
std::optional<NtpPacket> decode(std::span<const std::byte> data) noexcept;

// Reference ids are four ASCII characters for stratum 0/1 ("LOCL", "GPS", kiss codes) and an IPv4
// address (or an IPv6 hash) above. refid_text shows the printable form: "LOCL" or "127.0.0.1".
uint32_t refid_from_ascii(std::string_view code) noexcept;  // up to 4 chars, zero padded
std::string refid_text(uint32_t refid, uint8_t stratum);
std::string leap_name(Leap leap);

}  // namespace nt::timeproto
