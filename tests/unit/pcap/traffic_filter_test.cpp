// --pcap's filter builder: the expressions it writes, and what libpcap's own compiler and BPF
// interpreter make of them on cooked "any"-device frames (DLT_LINUX_SLL) built here byte by byte.
#include <doctest/doctest.h>
#include <netinet/in.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "config.h"
#include "net/address.hpp"
#include "pcap/capture.hpp"
#include "pcap/traffic_filter.hpp"
#include "sys/error.hpp"

using nt::capture::TrafficFilter;
using nt::capture::Transport;
using nt::net::SocketAddress;

namespace {

SocketAddress ip(const char* host, uint16_t port = 0) {
  return *SocketAddress::from_ip(host, port);
}

#if NETTOOL_HAVE_PCAP
constexpr int kDltLinuxSll = 113;
constexpr uint16_t kHost = 0, kOutgoing = 4;
constexpr uint16_t kEther = 1, kLoopback = 772;

struct Frame {
  std::vector<std::byte> bytes;
  void u8(unsigned v) { bytes.push_back(static_cast<std::byte>(v & 0xff)); }
  void u16(unsigned v) { u8(v >> 8), u8(v); }
  void zeros(std::size_t n) { bytes.insert(bytes.end(), n, std::byte{0}); }
  void addr(const SocketAddress& a) {
    const auto* sa = a.get();
    if (a.family() == AF_INET) {
      const auto* p =
          reinterpret_cast<const unsigned char*>(&reinterpret_cast<const sockaddr_in*>(sa)->sin_addr);
      for (int i = 0; i < 4; ++i) u8(p[i]);
    } else {
      const auto* p =
          reinterpret_cast<const unsigned char*>(&reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr);
      for (int i = 0; i < 16; ++i) u8(p[i]);
    }
  }
};

// SLL header + IP header (no options / no extension headers) from src to dst, protocol `proto`.
Frame ip_frame(uint16_t pkttype, uint16_t hatype, const char* src, const char* dst, unsigned proto,
               unsigned payload_len) {
  Frame f;
  auto s = ip(src), d = ip(dst);
  const bool v6 = s.family() == AF_INET6;
  f.u16(pkttype), f.u16(hatype), f.u16(6), f.zeros(8), f.u16(v6 ? 0x86dd : 0x0800);
  if (v6) {
    f.u8(0x60), f.zeros(3), f.u16(payload_len), f.u8(proto), f.u8(64);
  } else {
    f.u8(0x45), f.u8(0), f.u16(20 + payload_len), f.zeros(4), f.u8(64), f.u8(proto), f.zeros(2);
  }
  f.addr(s), f.addr(d);
  return f;
}

Frame echo(const char* src, const char* dst, unsigned type, unsigned id, uint16_t pkttype = kHost,
           uint16_t hatype = kLoopback) {
  const bool v6 = ip(src).family() == AF_INET6;
  Frame f = ip_frame(pkttype, hatype, src, dst, v6 ? 58 : 1, 16);
  f.u8(type), f.u8(0), f.zeros(2), f.u16(id), f.u16(1), f.zeros(8);
  return f;
}

Frame segment(const char* src, unsigned sport, const char* dst, unsigned dport, bool tcp = true) {
  const bool v6 = ip(src).family() == AF_INET6;
  Frame f = ip_frame(kHost, kLoopback, src, dst, tcp ? 6 : 17, tcp ? 20 : 8);
  f.u16(sport), f.u16(dport);
  if (tcp) {
    f.zeros(8), f.u8(0x50), f.u8(0x02), f.u16(65535), f.zeros(4);
  } else {
    f.u16(8), f.zeros(2);
  }
  (void)v6;
  return f;
}

bool accepts(const TrafficFilter& t, const Frame& f) {
  return nt::capture::filter_accepts(t.expression(), kDltLinuxSll, f.bytes);
}
#endif

}  // namespace

TEST_CASE("the expression ors the clauses and drops loopback's outgoing copy") {
  CHECK(TrafficFilter().expression().empty());
  TrafficFilter t;
  t.conversation(Transport::tcp, ip("127.0.0.1", 7), 40000).listener(Transport::udp, ip("0.0.0.0", 123));
  CHECK(t.clauses().size() == 2);
  CHECK(t.clauses()[0] == "tcp and host 127.0.0.1 and port 7 and port 40000");
  CHECK(t.clauses()[1] == "udp and port 123");
  CHECK(t.expression() ==
        "((tcp and host 127.0.0.1 and port 7 and port 40000) or (udp and port 123)) and "
        "not (outbound and link[2:2] == 772)");
}

TEST_CASE("listeners name their address unless it is a wildcard; v4-mapped reads as IPv4") {
  CHECK(TrafficFilter().listener(Transport::tcp, ip("::", 7)).clauses()[0] == "tcp and port 7");
  CHECK(TrafficFilter().listener(Transport::tcp, ip("127.0.0.2", 7)).clauses()[0] ==
        "tcp and port 7 and host 127.0.0.2");
  CHECK(TrafficFilter().conversation(Transport::udp, ip("::ffff:127.0.0.1", 13)).clauses()[0] ==
        "udp and host 127.0.0.1 and port 13");
  CHECK(TrafficFilter().conversation(Transport::udp, ip("::1", 13)).clauses()[0] ==
        "udp and host ::1 and port 13");
}

TEST_CASE("unix sockets have no packets: building the filter works, using it is a usage error") {
  TrafficFilter listener;
  CHECK_NOTHROW(listener.listener(Transport::tcp, SocketAddress::unix_path("/tmp/x")));
  CHECK_THROWS_AS(listener.expression(), nt::UsageError);
  TrafficFilter peer;
  CHECK_NOTHROW(peer.conversation(Transport::tcp, SocketAddress::abstract("x")));
  CHECK_THROWS_AS(peer.expression(), nt::UsageError);
}

#if NETTOOL_HAVE_PCAP
TEST_CASE("ICMP echo: our identifier in both directions, nothing else, loopback once") {
  TrafficFilter t;
  t.icmp_echo(AF_INET, 0x1234);
  CHECK(accepts(t, echo("127.0.0.1", "127.0.0.1", 8, 0x1234)));
  CHECK(accepts(t, echo("127.0.0.1", "127.0.0.1", 0, 0x1234)));
  CHECK_FALSE(accepts(t, echo("127.0.0.1", "127.0.0.1", 8, 0x1235)));
  CHECK_FALSE(accepts(t, echo("127.0.0.1", "127.0.0.1", 8, 0x1234, kOutgoing, kLoopback)));
  CHECK(accepts(t, echo("10.7.0.1", "10.7.0.2", 8, 0x1234, kOutgoing, kEther)));  // a veth keeps both
  CHECK_FALSE(accepts(t, segment("127.0.0.1", 0x1234, "127.0.0.1", 7)));
}

TEST_CASE("ICMP errors quoting our request are ours") {
  TrafficFilter t;
  t.icmp_echo(AF_INET, 77);
  Frame f = ip_frame(kHost, kLoopback, "10.0.0.1", "10.0.0.2", 1, 8 + 20 + 8);
  f.u8(3), f.u8(1), f.zeros(6);  // destination unreachable, host unreachable
  Frame quoted = echo("10.0.0.2", "10.0.0.9", 8, 77);
  f.bytes.insert(f.bytes.end(), quoted.bytes.begin() + 16, quoted.bytes.begin() + 16 + 28);
  CHECK(accepts(t, f));
}

TEST_CASE("identifier ranges, wrapping past 65535") {
  TrafficFilter t;
  t.icmp_echo(AF_INET, 65535, 3);
  for (unsigned id : {65535u, 0u, 1u}) CHECK(accepts(t, echo("127.0.0.1", "127.0.0.1", 8, id)));
  CHECK_FALSE(accepts(t, echo("127.0.0.1", "127.0.0.1", 8, 2)));
  CHECK_FALSE(accepts(t, echo("127.0.0.1", "127.0.0.1", 8, 65534)));
  TrafficFilter plain;
  plain.icmp_echo(AF_INET, 100, 2);
  CHECK(accepts(plain, echo("127.0.0.1", "127.0.0.1", 0, 101)));
  CHECK_FALSE(accepts(plain, echo("127.0.0.1", "127.0.0.1", 0, 102)));
}

TEST_CASE("ICMPv6 echo by identifier") {
  TrafficFilter t;
  t.icmp_echo(AF_INET6, 4242);
  CHECK(accepts(t, echo("::1", "::1", 128, 4242)));
  CHECK(accepts(t, echo("::1", "::1", 129, 4242)));
  CHECK_FALSE(accepts(t, echo("::1", "::1", 128, 4243)));
  CHECK_FALSE(accepts(t, echo("::1", "::1", 135, 4242)));  // neighbour solicitation
}

TEST_CASE("a conversation: peer address and port, and our port once known") {
  TrafficFilter t;
  t.conversation(Transport::tcp, ip("127.0.0.1", 7), 40000);
  CHECK(accepts(t, segment("127.0.0.1", 40000, "127.0.0.1", 7)));
  CHECK(accepts(t, segment("127.0.0.1", 7, "127.0.0.1", 40000)));
  CHECK_FALSE(accepts(t, segment("127.0.0.1", 40001, "127.0.0.1", 7)));         // someone else's connection
  CHECK_FALSE(accepts(t, segment("127.0.0.1", 40000, "127.0.0.1", 7, false)));  // UDP
  TrafficFilter any_port;
  any_port.conversation(Transport::udp, ip("::1", 13));
  CHECK(accepts(any_port, segment("::1", 50000, "::1", 13, false)));
  CHECK_FALSE(accepts(any_port, segment("::1", 50000, "::1", 14, false)));
}

TEST_CASE("a wildcard listener: its port in both families") {
  TrafficFilter t;
  t.listener(Transport::tcp, ip("::", 7007));
  CHECK(accepts(t, segment("127.0.0.1", 50000, "127.0.0.1", 7007)));
  CHECK(accepts(t, segment("::1", 7007, "::1", 50000)));
  CHECK_FALSE(accepts(t, segment("::1", 7008, "::1", 50000)));
}
#endif
