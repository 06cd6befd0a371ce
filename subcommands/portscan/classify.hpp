// What a reply means, as nmap defines port states (https://nmap.org/book/man-port-scanning-basics.html):
// open, closed, filtered, and open|filtered for UDP silence; each verdict carries the reason.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "subcommands/portscan/packet.hpp"

namespace nt::scan {

enum class PortState : uint8_t { open, closed, filtered, open_filtered };

std::string_view to_string(PortState s) noexcept;  // "open", "closed", "filtered", "open|filtered"

struct Verdict {
  PortState state;
  std::string_view reason;  // syn-ack, rst, conn-refused, timeout, icmp-unreachable, port-unreachable,
                            // udp-response, no-response, host-unreachable, net-unreachable
  bool operator==(const Verdict&) const = default;
};

// A TCP segment answering our SYN (seq = the probe's sequence number): SYN+ACK acking seq+1 is open,
// RST is closed (RFC 9293 §3.10.7.2: a RST answering a SYN acks it). Anything else is not an answer.
std::optional<Verdict> classify_tcp_reply(const TcpSegment& seg, uint32_t probe_seq) noexcept;

// An ICMP destination unreachable quoting a TCP probe: filtered. Quoting a UDP probe: port
// unreachable (ICMP 3/3, ICMPv6 1/4) is closed, any other unreachable filtered.
std::optional<Verdict> classify_icmp_error(bool v6, uint8_t type, uint8_t code, bool udp_probe) noexcept;

// A finished non-blocking connect(): 0 → open; ECONNREFUSED → closed; EHOSTUNREACH/ENETUNREACH/
// EACCES/EPERM (ICMP unreachable or a local firewall) → filtered; ETIMEDOUT → filtered/timeout.
// Anything else (EMFILE, EADDRNOTAVAIL, ENOBUFS…) is a local resource problem: nullopt, try again.
std::optional<Verdict> classify_connect(int err) noexcept;

// When every attempt went unanswered.
inline Verdict silence_verdict(bool udp) noexcept {
  return udp ? Verdict{PortState::open_filtered, "no-response"} : Verdict{PortState::filtered, "timeout"};
}

}  // namespace nt::scan
