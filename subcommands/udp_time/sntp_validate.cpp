#include "subcommands/udp_time/sntp_validate.hpp"

namespace nt::timeproto {

namespace {
ReplyVerdict kiss_verdict(uint32_t refid) noexcept {
  if (refid == refid_from_ascii("DENY")) return ReplyVerdict::kod_deny;
  if (refid == refid_from_ascii("RSTR")) return ReplyVerdict::kod_rstr;
  if (refid == refid_from_ascii("RATE")) return ReplyVerdict::kod_rate;
  return ReplyVerdict::kod_other;
}
}  // namespace

CheckedReply check_reply(std::span<const std::byte> data, NtpTimestamp sent_transmit) noexcept {
  CheckedReply r;
  r.packet = decode(data);
  if (!r.packet) return r;
  const NtpPacket& p = *r.packet;
  // Origin first: a reply that does not answer our request says nothing at all, not even a KoD
  // (otherwise an off-path attacker could stop us with one forged DENY).
  if (p.origin != sent_transmit) {
    r.verdict = ReplyVerdict::wrong_origin;
  } else if (p.version == 0 || p.version > 4) {
    r.verdict = ReplyVerdict::bad_version;
  } else if (p.mode != Mode::server) {
    r.verdict = ReplyVerdict::wrong_mode;
  } else if (p.stratum == 0) {
    r.verdict = kiss_verdict(p.reference_id);
  } else if (p.leap == Leap::unsynchronised || p.stratum >= 16) {
    r.verdict = ReplyVerdict::unsynchronised;
  } else if (p.transmit.is_zero()) {
    r.verdict = ReplyVerdict::zero_transmit;
  } else if (static_cast<int64_t>(p.transmit.raw - p.receive.raw) < 0) {  // era-safe t3 < t2
    r.verdict = ReplyVerdict::reversed_timestamps;
  } else if (p.root_delay > kMaxRootDistance || p.root_dispersion > kMaxRootDistance) {
    r.verdict = ReplyVerdict::excessive_root;
  } else {
    r.verdict = ReplyVerdict::ok;
  }
  return r;
}

std::string verdict_name(ReplyVerdict v) {
  switch (v) {
    case ReplyVerdict::ok:
      return "ok";
    case ReplyVerdict::too_short:
      return "too_short";
    case ReplyVerdict::bad_version:
      return "bad_version";
    case ReplyVerdict::wrong_mode:
      return "wrong_mode";
    case ReplyVerdict::wrong_origin:
      return "wrong_origin";
    case ReplyVerdict::zero_transmit:
      return "zero_transmit";
    case ReplyVerdict::unsynchronised:
      return "unsynchronised";
    case ReplyVerdict::reversed_timestamps:
      return "reversed_timestamps";
    case ReplyVerdict::excessive_root:
      return "excessive_root";
    case ReplyVerdict::kod_deny:
      return "kod_deny";
    case ReplyVerdict::kod_rstr:
      return "kod_rstr";
    case ReplyVerdict::kod_rate:
      return "kod_rate";
    case ReplyVerdict::kod_other:
      return "kod_other";
  }
  return "unknown";
}

bool is_kod(ReplyVerdict v) noexcept {
  return v == ReplyVerdict::kod_deny || v == ReplyVerdict::kod_rstr || v == ReplyVerdict::kod_rate ||
         v == ReplyVerdict::kod_other;
}

bool kod_stops(ReplyVerdict v) noexcept {
  return v == ReplyVerdict::kod_deny || v == ReplyVerdict::kod_rstr;
}

}  // namespace nt::timeproto
