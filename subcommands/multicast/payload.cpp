#include "subcommands/multicast/payload.hpp"

#include "wire/big_endian.hpp"

namespace nt::multicast {

namespace {
void write_u64(std::span<std::byte> out, std::size_t at, uint64_t v) noexcept {
  wire::write_u32(out, at, static_cast<uint32_t>(v >> 32));
  wire::write_u32(out, at + 4, static_cast<uint32_t>(v));
}
uint64_t read_u64(std::span<const std::byte> in, std::size_t at) noexcept {
  return (uint64_t{wire::read_u32(in, at)} << 32) | wire::read_u32(in, at + 4);
}
}  // namespace

void write_header(std::span<std::byte> out, const Header& h) noexcept {
  wire::write_u32(out, 0, kMagic);
  wire::write_u8(out, 4, kVersion);
  wire::write_u8(out, 5, 0);
  wire::write_u16(out, 6, static_cast<uint16_t>(kHeaderSize));
  wire::write_u32(out, 8, h.sender_id);
  wire::write_u32(out, 12, h.length);
  stamp(out, h.sequence, h.send_ns);
}

void stamp(std::span<std::byte> out, uint64_t sequence, int64_t send_ns) noexcept {
  write_u64(out, 16, sequence);
  write_u64(out, 24, static_cast<uint64_t>(send_ns));
}

const char* rejection_name(Rejection r) noexcept {
  switch (r) {
    case Rejection::none:
      return "none";
    case Rejection::short_datagram:
      return "short";
    case Rejection::bad_magic:
      return "no_header";
    case Rejection::bad_version:
      return "unknown_version";
    case Rejection::bad_header_length:
      return "bad_header_length";
    case Rejection::bad_length:
      return "length_mismatch";
  }
  return "unknown";
}

Rejection parse_header(std::span<const std::byte> in, bool truncated, Header& out) noexcept {
  if (in.size() < 4 || wire::read_u32(in, 0) != kMagic) return Rejection::bad_magic;
  if (in.size() < kHeaderSize) return Rejection::short_datagram;
  if (wire::read_u8(in, 4) != kVersion) return Rejection::bad_version;
  const uint16_t header_length = wire::read_u16(in, 6);
  if (header_length < kHeaderSize || header_length > in.size()) return Rejection::bad_header_length;
  out.sender_id = wire::read_u32(in, 8);
  out.length = wire::read_u32(in, 12);
  if (truncated || out.length != in.size()) return Rejection::bad_length;
  out.sequence = read_u64(in, 16);
  out.send_ns = static_cast<int64_t>(read_u64(in, 24));
  return Rejection::none;
}

}  // namespace nt::multicast
