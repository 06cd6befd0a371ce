// The header every `multicast send` datagram starts with (documented in nettool-multicast(1),
// PAYLOAD FORMAT), all fields big-endian:
//
//   offset  size  field
//        0     4  magic "NTMC" (0x4e544d43)
//        4     1  version (1)
//        5     1  flags (0; receivers ignore bits they do not know)
//        6     2  header length in bytes (32; later versions may append fields)
//        8     4  sender id (random per sender run, or --sender-id)
//       12     4  datagram length in bytes (header plus padding, as sent)
//       16     8  sequence number (0 for the first datagram of a run, then +1)
//       24     8  send time: CLOCK_REALTIME in ns since the Unix epoch (signed)
//       32     …  padding up to --size bytes (zeros)
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace nt::multicast {

inline constexpr uint32_t kMagic = 0x4e544d43;  // "NTMC"
inline constexpr uint8_t kVersion = 1;
inline constexpr std::size_t kHeaderSize = 32;
// The largest UDP payload over IPv4 (65535 − 20 − 8); IPv6 allows 20 bytes more, we need not.
inline constexpr std::size_t kMaxDatagram = 65507;

struct Header {
  uint32_t sender_id = 0;
  uint32_t length = 0;
  uint64_t sequence = 0;
  int64_t send_ns = 0;
};

// Writes the header into out[0, 32): out must hold at least kHeaderSize bytes.
void write_header(std::span<std::byte> out, const Header& h) noexcept;
// Rewrites only sequence and send time (the sender's per-datagram update).
void stamp(std::span<std::byte> out, uint64_t sequence, int64_t send_ns) noexcept;

// Why a datagram is not one of ours (counted as foreign), or none.
enum class Rejection : uint8_t {
  none,
  short_datagram,
  bad_magic,
  bad_version,
  bad_header_length,
  bad_length
};
const char* rejection_name(Rejection r) noexcept;

// Parses a received datagram (`truncated`: MSG_TRUNC, longer than our buffer). A header whose
// length field disagrees with the bytes received is refused: something rewrote or cut it.
Rejection parse_header(std::span<const std::byte> in, bool truncated, Header& out) noexcept;

}  // namespace nt::multicast
