// --pcap for portscan: the scan clause (targets as CIDR blocks, ports as runs, ICMP errors quoting a
// probe), its bounds, and what libpcap's compiler and BPF interpreter make of it.
#include <doctest/doctest.h>
#include <netinet/in.h>

#include <cstdint>
#include <string>
#include <vector>

#include "config.h"
#include "frames.hpp"
#include "net/ip_address.hpp"
#include "pcap/capture.hpp"
#include "pcap/traffic_filter.hpp"

using nt::capture::AddressRange;
using nt::capture::kMaxScanTerms;
using nt::capture::PortRange;
using nt::capture::TrafficFilter;
using nt::capture::Transport;
using nt::net::IpAddress;

namespace {

using namespace pcap_frames;

AddressRange range(const char* first, const char* last = nullptr) {
  return {*IpAddress::parse(first), *IpAddress::parse(last ? last : first)};
}

std::string tcp_clause(std::vector<AddressRange> targets, std::vector<PortRange> ports) {
  return TrafficFilter().scan(Transport::tcp, targets, ports).clauses().at(0);
}

#if NETTOOL_HAVE_PCAP
bool accepts(const TrafficFilter& t, const Frame& f) {
  return nt::capture::filter_accepts(t.expression(), kDltLinuxSll, f.bytes);
}

// An ICMP(v6) destination unreachable from `target` quoting a probe from us:sport to target:dport.
Frame unreachable(const char* target, const char* us, unsigned sport, unsigned dport, bool tcp = false) {
  const bool v6 = ip(target).family() == AF_INET6;
  const std::size_t quoted_ip = v6 ? 40 : 20, quoted_len = quoted_ip + (tcp ? 20 : 8);
  Frame f = ip_frame(kHost, kLoopback, target, us, v6 ? 58 : 1, static_cast<unsigned>(8 + quoted_len));
  f.u8(v6 ? 1 : 3), f.u8(v6 ? 4 : 3), f.zeros(6);  // port unreachable
  Frame probe = segment(us, sport, target, dport, tcp);
  f.bytes.insert(f.bytes.end(), probe.bytes.begin() + 16, probe.bytes.begin() + 16 + quoted_len);
  return f;
}
#endif

}  // namespace

TEST_CASE("port runs: consecutive ports become one range") {
  const std::vector<uint16_t> ports{22, 80, 81, 82, 443, 65535};
  const auto runs = nt::capture::port_runs(ports);
  REQUIRE(runs.size() == 4);
  CHECK((runs[1].first == 80 && runs[1].last == 82));
  CHECK((runs[3].first == 65535 && runs[3].last == 65535));
  CHECK(nt::capture::port_runs({}).empty());
}

TEST_CASE("a scan clause: the targets and ports in each direction, portrange for runs") {
  CHECK(tcp_clause({range("127.0.0.1")}, {{1, 1024}, {8080, 8080}}) ==
        "tcp and (((dst host 127.0.0.1) and (dst portrange 1-1024 or dst port 8080)) or "
        "((src host 127.0.0.1) and (src portrange 1-1024 or src port 8080)))");
  const auto clauses = TrafficFilter()
                           .scan(Transport::udp, std::vector{range("::1")}, std::vector<PortRange>{{53, 53}})
                           .clauses();
  REQUIRE(clauses.size() == 2);  // udp, and ICMPv6 errors (no IPv4 target: no ICMP clause)
  CHECK(clauses[1] == "icmp6 and ip6[40] == 1 and ip6[54] == 17 and (src host ::1) and (ip6[90:2] == 53)");
  CHECK(TrafficFilter()
            .scan(Transport::tcp, std::vector<AddressRange>{}, std::vector<PortRange>{{1, 2}})
            .empty());
}

TEST_CASE("target ranges become the fewest CIDR blocks") {
  CHECK(tcp_clause({range("10.0.0.0", "10.0.0.255")}, {{7, 7}}).find("(dst net 10.0.0.0/24)") !=
        std::string::npos);
  CHECK(tcp_clause({range("10.0.0.1", "10.0.0.6")}, {{7, 7}})
            .find("(dst host 10.0.0.1 or dst net 10.0.0.2/31 or dst net 10.0.0.4/31 or dst host 10.0.0.6)") !=
        std::string::npos);
  CHECK(tcp_clause({range("fd07::", "fd07::ffff")}, {{7, 7}}).find("(dst net fd07::/112)") !=
        std::string::npos);
  CHECK(tcp_clause({range("0.0.0.0", "255.255.255.255")}, {{7, 7}}).find("((ip) and") != std::string::npos);
}

TEST_CASE("past kMaxScanTerms: one covering block per family, one port range") {
  std::vector<AddressRange> hosts;
  for (int i = 0; i <= static_cast<int>(kMaxScanTerms); ++i) {
    hosts.push_back(range(("10.1." + std::to_string(i * 2) + ".1").c_str()));
  }
  hosts.push_back(range("fd07::1"));
  hosts.push_back(range("fd07::1:0"));
  std::vector<PortRange> ports;
  for (uint16_t p = 100; ports.size() <= kMaxScanTerms; p += 10) ports.push_back({p, p});
  const std::string clause = tcp_clause(hosts, ports);
  CHECK(clause.find("(dst net 10.1.0.0/18 or dst net fd07::/111)") != std::string::npos);
  CHECK(clause.find("(dst portrange 100-260)") != std::string::npos);
}

#if NETTOOL_HAVE_PCAP
TEST_CASE("TCP scan: probes to the ports and replies from them, nothing else") {
  TrafficFilter t;
  t.scan(Transport::tcp, std::vector{range("127.0.0.1")}, std::vector<PortRange>{{20, 25}, {80, 80}});
  CHECK(accepts(t, segment("127.0.0.1", 45000, "127.0.0.1", 22)));
  CHECK(accepts(t, segment("127.0.0.1", 80, "127.0.0.1", 45000)));
  CHECK_FALSE(accepts(t, segment("127.0.0.1", 45000, "127.0.0.1", 26)));
  CHECK_FALSE(accepts(t, segment("127.0.0.2", 45000, "127.0.0.2", 22)));         // another host
  CHECK_FALSE(accepts(t, segment("127.0.0.1", 45000, "127.0.0.1", 22, false)));  // UDP
  CHECK(accepts(t, unreachable("127.0.0.1", "127.0.0.1", 45000, 80, true)));     // e.g. a firewall's reject
}

TEST_CASE("UDP scan: port unreachable quoting a probe to a scanned port") {
  TrafficFilter t;
  t.scan(Transport::udp, std::vector{range("127.0.0.1"), range("::1")}, std::vector<PortRange>{{1000, 2000}});
  CHECK(accepts(t, segment("127.0.0.1", 50000, "127.0.0.1", 1500, false)));
  CHECK(accepts(t, unreachable("127.0.0.1", "127.0.0.1", 50000, 1500)));
  CHECK_FALSE(accepts(t, unreachable("127.0.0.1", "127.0.0.1", 50000, 2001)));        // someone else's probe
  CHECK_FALSE(accepts(t, unreachable("127.0.0.1", "127.0.0.1", 50000, 1500, true)));  // quotes TCP
  CHECK(accepts(t, unreachable("::1", "::1", 50000, 2000)));
  CHECK_FALSE(accepts(t, unreachable("::1", "::1", 50000, 999)));
}

TEST_CASE("the worst case still compiles: many disjoint targets and ports") {
  std::vector<AddressRange> hosts;
  for (int i = 0; i < 200; ++i) hosts.push_back(range(("10.2." + std::to_string(i) + ".9").c_str()));
  hosts.push_back(range("::1", "::ff:1"));
  std::vector<uint16_t> ports;
  for (uint16_t p = 1; p < 60000; p += 3) ports.push_back(p);
  TrafficFilter t;
  t.scan(Transport::udp, hosts, nt::capture::port_runs(ports));
  CHECK(accepts(t, segment("10.2.100.9", 40000, "10.2.100.7", 4, false)));
  TrafficFilter wide;
  wide.scan(Transport::tcp,
            std::vector{range("0.0.0.0", "255.255.255.255"),
                        range("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")},
            std::vector<PortRange>{{1, 65535}});
  CHECK(accepts(wide, segment("192.0.2.1", 1, "192.0.2.2", 2)));
}
#endif
