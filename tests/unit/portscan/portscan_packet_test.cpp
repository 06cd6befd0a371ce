#include <doctest/doctest.h>
#include <netinet/in.h>

#include <array>
#include <vector>

#include "subcommands/portscan/packet.hpp"
#include "wire/checksum.hpp"

using namespace nt::scan;

namespace {
std::vector<std::byte> bytes(std::initializer_list<int> v) {
  std::vector<std::byte> out;
  for (int b : v) out.push_back(std::byte(b));
  return out;
}
SynProbe probe(const char* src, const char* dst) {
  SynProbe p;
  p.src = *IpAddress::parse(src);
  p.dst = *IpAddress::parse(dst);
  p.sport = 40000;
  p.dport = 443;
  p.seq = 0x01020304;
  p.ip_id = 0x1234;
  return p;
}
uint16_t tcp_verify(const SynProbe& p, std::span<const std::byte> tcp) {
  return nt::wire::checksum_finish(nt::wire::checksum_add(
      pseudo_header_sum(p.src, p.dst, IPPROTO_TCP, static_cast<uint32_t>(tcp.size())), tcp));
}
}  // namespace

TEST_CASE("IPv4 SYN: header fields and checksums verify") {
  std::array<std::byte, kIpv6HeaderSize + kTcpSynSize> buf{};
  const auto p = probe("192.0.2.1", "198.51.100.2");
  const std::size_t n = build_ip_syn(buf, p);
  REQUIRE(n == kIpv4HeaderSize + kTcpSynSize);
  const std::span<const std::byte> pkt(buf.data(), n);
  CHECK(std::to_integer<int>(pkt[0]) == 0x45);
  CHECK(std::to_integer<int>(pkt[3]) == 44);  // total length
  CHECK(std::to_integer<int>(pkt[9]) == IPPROTO_TCP);
  CHECK(nt::wire::internet_checksum(pkt.first(kIpv4HeaderSize)) == 0);  // a correct header sums to 0xffff
  const auto tcp = pkt.subspan(kIpv4HeaderSize);
  CHECK(tcp_verify(p, tcp) == 0);
  CHECK(std::to_integer<int>(tcp[13]) == kTcpSyn);
  CHECK(std::to_integer<int>(tcp[12]) == 0x60);  // 6 words: 20 bytes + MSS option
  const auto parsed = parse_ip_packet(pkt);
  REQUIRE(parsed.tcp);
  CHECK(parsed.tcp->src == p.src);
  CHECK(parsed.tcp->dst == p.dst);
  CHECK(parsed.tcp->sport == 40000);
  CHECK(parsed.tcp->dport == 443);
  CHECK(parsed.tcp->seq == 0x01020304);
  CHECK(parsed.tcp->flags == kTcpSyn);
}

TEST_CASE("IPv6 SYN: header fields and pseudo-header checksum verify") {
  std::array<std::byte, kIpv6HeaderSize + kTcpSynSize> buf{};
  const auto p = probe("2001:db8::1", "2001:db8::2");
  const std::size_t n = build_ip_syn(buf, p);
  REQUIRE(n == kIpv6HeaderSize + kTcpSynSize);
  CHECK(std::to_integer<int>(buf[0]) == 0x60);
  CHECK(std::to_integer<int>(buf[5]) == kTcpSynSize);  // payload length
  CHECK(std::to_integer<int>(buf[6]) == IPPROTO_TCP);
  CHECK(tcp_verify(p, std::span<const std::byte>(buf).subspan(kIpv6HeaderSize, kTcpSynSize)) == 0);
  const auto parsed = parse_ip_packet(std::span<const std::byte>(buf.data(), n));
  REQUIRE(parsed.tcp);
  CHECK(parsed.tcp->dst.to_string() == "2001:db8::2");
  CHECK(parsed.tcp->dport == 443);
}

TEST_CASE("ICMP unreachable quoting our probe is parsed, through Ethernet and SLL framing") {
  std::array<std::byte, kIpv6HeaderSize + kTcpSynSize> syn{};
  const auto p = probe("10.0.0.1", "10.0.0.2");
  build_ip_syn(syn, p);
  // Ethernet | IPv4 (router 10.0.0.254 → 10.0.0.1, ICMP) | ICMP 3/13 | quoted IPv4+TCP
  std::vector<std::byte> frame(14, std::byte{0});
  frame[12] = std::byte(0x08);
  std::vector<std::byte> outer =
      bytes({0x45, 0, 0, 76, 0, 0, 0, 0, 64, IPPROTO_ICMP, 0, 0, 10, 0, 0, 254, 10, 0, 0, 1});
  std::vector<std::byte> icmp = bytes({3, 13, 0, 0, 0, 0, 0, 0});
  frame.insert(frame.end(), outer.begin(), outer.end());
  frame.insert(frame.end(), icmp.begin(), icmp.end());
  frame.insert(frame.end(), syn.begin(), syn.begin() + kIpv4HeaderSize + 8);
  const auto ip = strip_link_layer(1, frame);
  REQUIRE(ip.size() == frame.size() - 14);
  const auto parsed = parse_ip_packet(ip);
  REQUIRE(parsed.icmp);
  CHECK(parsed.icmp->reporter.to_string() == "10.0.0.254");
  CHECK(parsed.icmp->quoted_dst.to_string() == "10.0.0.2");
  CHECK(parsed.icmp->quoted_sport == 40000);
  CHECK(parsed.icmp->quoted_dport == 443);
  CHECK(parsed.icmp->code == 13);
  std::vector<std::byte> sll(16, std::byte{0});
  sll.insert(sll.end(), frame.begin() + 14, frame.end());
  CHECK(strip_link_layer(113, sll).size() == ip.size());
  CHECK(strip_link_layer(999, sll).empty());
  CHECK(strip_link_layer(1, bytes({1, 2, 3})).empty());
  CHECK(!parse_ip_packet(bytes({0x45, 0})).tcp);
}

namespace {
// IPv4 router 10.0.0.254 → 10.0.0.1, ICMP 3/3, quoting `quoted_transport` bytes of our SYN.
std::vector<std::byte> icmp_error_quoting(const SynProbe& p, std::size_t quoted_transport,
                                          uint16_t quoted_fragment = 0, uint16_t outer_fragment = 0) {
  std::array<std::byte, kIpv6HeaderSize + kTcpSynSize> syn{};
  build_ip_syn(syn, p);
  syn[6] = std::byte(quoted_fragment >> 8);
  syn[7] = std::byte(quoted_fragment & 0xff);
  std::vector<std::byte> pkt = bytes({0x45,
                                      0,
                                      0,
                                      0,
                                      0,
                                      0,
                                      outer_fragment >> 8,
                                      outer_fragment & 0xff,
                                      64,
                                      IPPROTO_ICMP,
                                      0,
                                      0,
                                      10,
                                      0,
                                      0,
                                      254,
                                      10,
                                      0,
                                      0,
                                      1,
                                      3,
                                      3,
                                      0,
                                      0,
                                      0,
                                      0,
                                      0,
                                      0});
  pkt.insert(pkt.end(), syn.begin(), syn.begin() + static_cast<long>(kIpv4HeaderSize + quoted_transport));
  return pkt;
}
}  // namespace

TEST_CASE("ICMP errors match a SYN of ours only by port and sequence number, never from a fragment") {
  const auto p = probe("10.0.0.1", "10.0.0.2");
  const auto parsed = parse_ip_packet(icmp_error_quoting(p, 8));
  REQUIRE(parsed.icmp);
  CHECK(parsed.icmp->quoted_seq == p.seq);
  CHECK(quotes_our_syn(*parsed.icmp, p.sport, p.seq));
  CHECK_FALSE(quotes_our_syn(*parsed.icmp, p.sport, p.seq + 1));  // forged: right port, wrong sequence
  CHECK_FALSE(quotes_our_syn(*parsed.icmp, p.sport + 1, p.seq));
  auto udp = *parsed.icmp;
  udp.quoted_protocol = IPPROTO_UDP;
  CHECK_FALSE(quotes_our_syn(udp, p.sport, p.seq));
  CHECK_FALSE(parse_ip_packet(icmp_error_quoting(p, 4)).icmp);              // ports but no sequence number
  CHECK_FALSE(parse_ip_packet(icmp_error_quoting(p, 8, 0x0001)).icmp);      // quoted non-first fragment
  CHECK(parse_ip_packet(icmp_error_quoting(p, 8, 0x2000)).icmp);            // quoted first fragment (MF)
  const auto later = parse_ip_packet(icmp_error_quoting(p, 8, 0, 0x00b9));  // outer non-first fragment
  CHECK_FALSE(later.icmp);
  CHECK_FALSE(later.tcp);
}
