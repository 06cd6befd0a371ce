#include "pcap/traffic_filter.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sys/error.hpp"

namespace nt::capture {

namespace {

// On the "any" device (DLT_LINUX_SLL) the cooked header holds the packet type at offset 0 ("outbound"
// tests it) and the device's ARPHRD type at offset 2: 772 is ARPHRD_LOOPBACK.
constexpr const char* kNotLoopbackTwin = "not (outbound and link[2:2] == 772)";

const char* transport_name(Transport t) {
  return t == Transport::tcp ? "tcp" : "udp";
}

[[noreturn]] void require_inet_text(const std::string& addr) {
  throw UsageError(fmt::format("--pcap: {} is not an IP socket: it has no packets to capture", addr));
}

void require_inet(const net::SocketAddress& addr) {
  if (!addr.is_inet()) require_inet_text(fmt::format("{}", addr));
}

}  // namespace

std::string bpf_host(const net::SocketAddress& addr) {
  require_inet(addr);
  std::string host = addr.host();  // v4-mapped already reads as IPv4
  if (auto percent = host.find('%'); percent != std::string::npos) host.resize(percent);
  return host;
}

namespace {
// "FIELD == 7", or a range test (two when the identifiers wrap past 65535).
std::string id_test(const std::string& field, uint16_t first, uint32_t count) {
  if (count <= 1) return fmt::format("{} == {}", field, first);
  count = std::min<uint32_t>(count, 65536);
  const uint32_t last = first + count - 1;
  if (last <= 0xffff) return fmt::format("({0} >= {1} and {0} <= {2})", field, first, last);
  return fmt::format("({0} >= {1} or {0} <= {2})", field, first, last - 0x10000);
}
}  // namespace

TrafficFilter& TrafficFilter::icmp_echo(int family, uint16_t first, uint32_t count) {
  if (family == AF_INET6) {
    // No extension headers assumed: ICMPv6 at ip6[40]; an error quotes the request's IPv6 header
    // (40 bytes) after its own 8, so the quoted ICMPv6 header starts at ip6[88].
    clauses_.push_back(
        fmt::format("(icmp6 and (ip6[40] == 128 or ip6[40] == 129) and {}) or "
                    "(icmp6 and (ip6[40] == 1 or ip6[40] == 3) and ip6[88] == 128 and {})",
                    id_test("ip6[44:2]", first, count), id_test("ip6[92:2]", first, count)));
  } else {
    // An error quotes the request's IP header (20 bytes without options) after its own 8.
    clauses_.push_back(
        fmt::format("(icmp and (icmp[0] == 8 or icmp[0] == 0) and {}) or "
                    "(icmp and (icmp[0] == 3 or icmp[0] == 11 or icmp[0] == 12) and icmp[28] == 8 and {})",
                    id_test("icmp[4:2]", first, count), id_test("icmp[32:2]", first, count)));
  }
  return *this;
}

TrafficFilter& TrafficFilter::conversation(Transport transport, const net::SocketAddress& peer,
                                           uint16_t local_port) {
  if (!peer.is_inet()) return not_capturable(peer);
  std::string clause =
      fmt::format("{} and host {} and port {}", transport_name(transport), bpf_host(peer), peer.port());
  if (local_port != 0) clause += fmt::format(" and port {}", local_port);
  clauses_.push_back(std::move(clause));
  return *this;
}

TrafficFilter& TrafficFilter::listener(Transport transport, const net::SocketAddress& local) {
  if (!local.is_inet()) return not_capturable(local);
  std::string clause = fmt::format("{} and port {}", transport_name(transport), local.port());
  const auto wildcard = net::SocketAddress::any(local.family(), local.port());
  if (local.host() != wildcard.host()) clause += fmt::format(" and host {}", bpf_host(local));
  clauses_.push_back(std::move(clause));
  return *this;
}

TrafficFilter& TrafficFilter::not_capturable(const net::SocketAddress& addr) {
  if (problem_.empty()) problem_ = fmt::format("{}", addr);
  return *this;
}

std::string TrafficFilter::expression() const {
  if (!problem_.empty()) require_inet_text(problem_);
  if (clauses_.empty()) return {};
  std::string any;
  for (const auto& c : clauses_) any += fmt::format("{}({})", any.empty() ? "" : " or ", c);
  return fmt::format("({}) and {}", any, kNotLoopbackTwin);
}

}  // namespace nt::capture
