#include "subcommands/portscan/classify.hpp"

#include <cerrno>

namespace nt::scan {

std::string_view to_string(PortState s) noexcept {
  switch (s) {
    case PortState::open:
      return "open";
    case PortState::closed:
      return "closed";
    case PortState::filtered:
      return "filtered";
    case PortState::open_filtered:
      return "open|filtered";
  }
  return "unknown";
}

std::optional<Verdict> classify_tcp_reply(const TcpSegment& seg, uint32_t probe_seq) noexcept {
  const bool acks_probe = (seg.flags & kTcpAck) && seg.ack == probe_seq + 1;
  if ((seg.flags & (kTcpSyn | kTcpAck)) == (kTcpSyn | kTcpAck) && !(seg.flags & kTcpRst))
    return acks_probe ? std::optional<Verdict>({PortState::open, "syn-ack"}) : std::nullopt;
  if (seg.flags & kTcpRst)
    return acks_probe ? std::optional<Verdict>({PortState::closed, "rst"}) : std::nullopt;
  return std::nullopt;
}

std::optional<Verdict> classify_icmp_error(bool v6, uint8_t type, uint8_t code, bool udp_probe) noexcept {
  if (type != (v6 ? 1 : 3)) return std::nullopt;
  const bool port_unreachable = v6 ? code == 4 : code == 3;
  if (udp_probe && port_unreachable) return Verdict{PortState::closed, "port-unreachable"};
  return Verdict{PortState::filtered, "icmp-unreachable"};
}

std::optional<Verdict> classify_connect(int err) noexcept {
  switch (err) {
    case 0:
      return Verdict{PortState::open, "syn-ack"};
    case ECONNREFUSED:
      return Verdict{PortState::closed, "conn-refused"};
    case EHOSTUNREACH:
      return Verdict{PortState::filtered, "host-unreachable"};
    case ENETUNREACH:
      return Verdict{PortState::filtered, "net-unreachable"};
    case EACCES:  // a local netfilter REJECT/DROP on output surfaces as EPERM/EACCES
    case EPERM:
      return Verdict{PortState::filtered, "admin-prohibited"};
    case ETIMEDOUT:
      return Verdict{PortState::filtered, "timeout"};
    default:
      return std::nullopt;
  }
}

}  // namespace nt::scan
