// The pcap-filter(7) expression for "this command's own traffic", built from its sockets: a
// conversation (peer address and port, our port once known), a listening socket (its port, its address
// unless a wildcard) or ICMP echo identifiers. Plain strings: no libpcap needed, so unit tests check them.
//
// Captures run on Linux's "any" device, which sees a loopback packet twice: once leaving lo
// (PACKET_OUTGOING) and once arriving (PACKET_HOST). expression() keeps only the arrival, so each
// packet is in the file once; packets leaving through real interfaces (veths) are kept.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "net/address.hpp"
#include "net/ip_address.hpp"

namespace nt::capture {

enum class Transport { tcp, udp };

// Scan targets and ports as the scan clause takes them: closed ranges, first <= last, one family.
struct AddressRange {
  net::IpAddress first, last;
};
struct PortRange {
  uint16_t first = 0, last = 0;
};

// The runs of consecutive ports in a sorted, duplicate-free list: {22, 80, 81, 82} -> 22, 80-82.
std::vector<PortRange> port_runs(std::span<const uint16_t> sorted_ports);

// A scan's clause names at most this many address blocks (CIDR) and this many port runs. Past either
// bound it names one block per family covering every target (the smallest CIDR holding them), or one
// range from the lowest port to the highest: the BPF program stays small (a few hundred instructions)
// whatever the scan, at the price of recording strangers' traffic inside those wider bounds.
inline constexpr std::size_t kMaxScanTerms = 16;

class TrafficFilter {
 public:
  // Echo requests and replies carrying one of `count` consecutive identifiers from `first` (wrapping
  // past 65535), and ICMP errors quoting such a request. AF_INET: ICMP (RFC 792); AF_INET6: ICMPv6
  // (RFC 4443).
  TrafficFilter& icmp_echo(int family, uint16_t first, uint32_t count = 1);
  // Everything exchanged with `peer` (address and port); with our port when known (0: not yet).
  TrafficFilter& conversation(Transport transport, const net::SocketAddress& peer, uint16_t local_port = 0);
  // A scan's traffic: TCP (or UDP) between any target and any of the ports in either direction (probe
  // toward the target's port, its reply from that port), and ICMP (RFC 792) / ICMPv6 (RFC 4443)
  // destination-unreachable errors from a target quoting a probe of that transport to one of the
  // ports (the quote's IP header assumed without options or extension headers). Bounded by
  // kMaxScanTerms.
  TrafficFilter& scan(Transport transport, std::span<const AddressRange> targets,
                      std::span<const PortRange> ports);
  // Everything to or from a bound socket: its port, and its address unless it is a wildcard.
  TrafficFilter& listener(Transport transport, const net::SocketAddress& local);

  bool empty() const noexcept { return clauses_.empty() && problem_.empty(); }
  const std::vector<std::string>& clauses() const noexcept { return clauses_; }
  // The clauses or-ed together, without loopback's outgoing copy. "" when empty. Throws UsageError
  // naming a unix socket given above: building a filter never fails, so a command builds it whether
  // or not --pcap was given, and only a capture that would use it refuses.
  std::string expression() const;

 private:
  TrafficFilter& not_capturable(const net::SocketAddress& addr);
  std::vector<std::string> clauses_;
  std::string problem_;  // the first socket without packets (unix, abstract)
};

// "host 127.0.0.1" for BPF: the address without brackets, port or scope (%eth0), v4-mapped as IPv4.
// Throws UsageError for unix sockets (no packets to capture).
std::string bpf_host(const net::SocketAddress& addr);

}  // namespace nt::capture
