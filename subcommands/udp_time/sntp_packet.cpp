#include "subcommands/udp_time/sntp_packet.hpp"

#include <fmt/format.h>

#include "wire/big_endian.hpp"

namespace nt::timeproto {

namespace {
using wire::read_u32, wire::read_u8, wire::write_u32, wire::write_u8;

void write_ts(std::span<std::byte> out, std::size_t at, NtpTimestamp ts) noexcept {
  write_u32(out, at, ts.seconds());
  write_u32(out, at + 4, ts.fraction());
}
NtpTimestamp read_ts(std::span<const std::byte> in, std::size_t at) noexcept {
  return NtpTimestamp::from_parts(read_u32(in, at), read_u32(in, at + 4));
}
}  // namespace

NtpBytes encode(const NtpPacket& p) noexcept {
  NtpBytes b{};
  auto li_vn_mode = static_cast<uint8_t>((static_cast<unsigned>(p.leap) << 6) | ((p.version & 7u) << 3) |
                                         (static_cast<unsigned>(p.mode) & 7u));
  write_u8(b, 0, li_vn_mode);
  write_u8(b, 1, p.stratum);
  write_u8(b, 2, static_cast<uint8_t>(p.poll));
  write_u8(b, 3, static_cast<uint8_t>(p.precision));
  write_u32(b, 4, p.root_delay);
  write_u32(b, 8, p.root_dispersion);
  write_u32(b, 12, p.reference_id);
  write_ts(b, 16, p.reference);
  write_ts(b, 24, p.origin);
  write_ts(b, 32, p.receive);
  write_ts(b, 40, p.transmit);
  return b;
}

std::optional<NtpPacket> decode(std::span<const std::byte> data) noexcept {
  if (data.size() < kNtpHeaderSize) return std::nullopt;
  const auto first = read_u8(data, 0);
  NtpPacket p;
  p.leap = static_cast<Leap>(first >> 6);
  p.version = static_cast<uint8_t>((first >> 3) & 7u);
  p.mode = static_cast<Mode>(first & 7u);
  p.stratum = read_u8(data, 1);
  p.poll = static_cast<int8_t>(read_u8(data, 2));
  p.precision = static_cast<int8_t>(read_u8(data, 3));
  p.root_delay = read_u32(data, 4);
  p.root_dispersion = read_u32(data, 8);
  p.reference_id = read_u32(data, 12);
  p.reference = read_ts(data, 16);
  p.origin = read_ts(data, 24);
  p.receive = read_ts(data, 32);
  p.transmit = read_ts(data, 40);
  return p;
}

uint32_t refid_from_ascii(std::string_view code) noexcept {
  uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    v <<= 8;
    if (i < code.size()) v |= static_cast<uint8_t>(code[i]);
  }
  return v;
}

std::string refid_text(uint32_t refid, uint8_t stratum) {
  if (stratum >= 2) {
    return fmt::format("{}.{}.{}.{}", refid >> 24, (refid >> 16) & 0xff, (refid >> 8) & 0xff, refid & 0xff);
  }
  std::string s;
  for (int shift = 24; shift >= 0; shift -= 8) {
    auto c = static_cast<char>((refid >> shift) & 0xff);
    if (c == '\0') break;
    s += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  return s;
}

std::string leap_name(Leap leap) {
  switch (leap) {
    case Leap::none:
      return "none";
    case Leap::add_second:
      return "add_second";
    case Leap::del_second:
      return "del_second";
    case Leap::unsynchronised:
      return "unsynchronised";
  }
  return "unknown";
}

}  // namespace nt::timeproto
