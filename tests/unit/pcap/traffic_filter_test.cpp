// --pcap's filter builder: the expressions it writes, and what libpcap's own compiler and BPF
// interpreter make of them on cooked "any"-device frames (DLT_LINUX_SLL) built here byte by byte.
#include <doctest/doctest.h>
#include <netinet/in.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "config.h"
#include "frames.hpp"
#include "net/address.hpp"
#include "pcap/capture.hpp"
#include "pcap/traffic_filter.hpp"
#include "sys/error.hpp"

using nt::capture::TrafficFilter;
using nt::capture::Transport;
using nt::net::SocketAddress;

namespace {

using namespace pcap_frames;

#if NETTOOL_HAVE_PCAP
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
