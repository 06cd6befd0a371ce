#include "subcommands/udp_time/sntp_packet.hpp"

#include <fmt/format.h>

namespace nt::timeproto {

namespace {
void put32(std::byte* p, uint32_t v) noexcept {
  p[0] = std::byte(v >> 24);
  p[1] = std::byte(v >> 16);
  p[2] = std::byte(v >> 8);
  p[3] = std::byte(v);
}
uint32_t get32(const std::byte* p) noexcept {
  return (std::to_integer<uint32_t>(p[0]) << 24) | (std::to_integer<uint32_t>(p[1]) << 16) |
         (std::to_integer<uint32_t>(p[2]) << 8) | std::to_integer<uint32_t>(p[3]);
}
void put_ts(std::byte* p, NtpTimestamp ts) noexcept {
  put32(p, ts.seconds());
  put32(p + 4, ts.fraction());
}
NtpTimestamp get_ts(const std::byte* p) noexcept {
  return NtpTimestamp::from_parts(get32(p), get32(p + 4));
}
}  // namespace

NtpBytes encode(const NtpPacket& p) noexcept {
  NtpBytes b{};
  auto li_vn_mode = static_cast<uint8_t>((static_cast<unsigned>(p.leap) << 6) | ((p.version & 7u) << 3) |
                                         (static_cast<unsigned>(p.mode) & 7u));
  b[0] = std::byte(li_vn_mode);
  b[1] = std::byte(p.stratum);
  b[2] = std::byte(static_cast<uint8_t>(p.poll));
  b[3] = std::byte(static_cast<uint8_t>(p.precision));
  put32(&b[4], p.root_delay);
  put32(&b[8], p.root_dispersion);
  put32(&b[12], p.reference_id);
  put_ts(&b[16], p.reference);
  put_ts(&b[24], p.origin);
  put_ts(&b[32], p.receive);
  put_ts(&b[40], p.transmit);
  return b;
}

std::optional<NtpPacket> decode(std::span<const std::byte> data) noexcept {
  if (data.size() < kNtpHeaderSize) return std::nullopt;
  const std::byte* b = data.data();
  auto first = std::to_integer<uint8_t>(b[0]);
  NtpPacket p;
  p.leap = static_cast<Leap>(first >> 6);
  p.version = static_cast<uint8_t>((first >> 3) & 7u);
  p.mode = static_cast<Mode>(first & 7u);
  p.stratum = std::to_integer<uint8_t>(b[1]);
  p.poll = static_cast<int8_t>(std::to_integer<uint8_t>(b[2]));
  p.precision = static_cast<int8_t>(std::to_integer<uint8_t>(b[3]));
  p.root_delay = get32(b + 4);
  p.root_dispersion = get32(b + 8);
  p.reference_id = get32(b + 12);
  p.reference = get_ts(b + 16);
  p.origin = get_ts(b + 24);
  p.receive = get_ts(b + 32);
  p.transmit = get_ts(b + 40);
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
