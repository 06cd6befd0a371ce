// ICMP/ICMPv6 codec: echo encode/decode, and parsing of truncated, malformed and
// quoted-error packets (src/icmp/).
#include <doctest/doctest.h>
#include <sys/socket.h>

#include <cstring>
#include <string>
#include <vector>

#include "icmp/codec.hpp"
#include "subcommands/ping/icmp_reasons.hpp"
#include "wire/checksum.hpp"

using namespace nt::icmp;
using nt::ping::describe_error;
using nt::wire::checksum_valid, nt::wire::internet_checksum;

namespace {

std::vector<std::byte> bytes(std::initializer_list<int> v) {
  std::vector<std::byte> out;
  for (int b : v) out.push_back(static_cast<std::byte>(b));
  return out;
}

std::vector<std::byte> text(const std::string& s) {
  std::vector<std::byte> out;
  for (char c : s) out.push_back(static_cast<std::byte>(c));
  return out;
}

std::vector<std::byte> cat(std::vector<std::byte> a, const std::vector<std::byte>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// A 20-byte IPv4 header: protocol, TTL, source 10.0.0.254, destination `dst_last` in 10.0.0.0/24.
std::vector<std::byte> ipv4_header(int protocol, int ttl, int dst_last) {
  return bytes({0x45, 0, 0, 0, 0, 0, 0, 0, ttl, protocol, 0, 0, 10, 0, 0, 254, 10, 0, 0, dst_last});
}

std::vector<std::byte> echo(int family, int type, uint16_t id, uint16_t seq,
                            const std::vector<std::byte>& payload) {
  std::vector<std::byte> out;
  encode_echo_request(family, id, seq, payload, out);
  out[0] = static_cast<std::byte>(type);
  if (family == AF_INET) {  // recompute for the changed type
    out[2] = out[3] = std::byte{0};
    uint16_t c = internet_checksum(out);
    out[2] = static_cast<std::byte>(c >> 8);
    out[3] = static_cast<std::byte>(c & 0xff);
  }
  return out;
}

// An IPv6 header: next header, destination ::<dst_last>.
std::vector<std::byte> ipv6_header(int next_header, int dst_last) {
  std::vector<std::byte> h = bytes({0x60, 0, 0, 0, 0, 16, next_header, 64});
  h.resize(40, std::byte{0});
  h[23] = std::byte{1};                      // source ::1
  h[39] = static_cast<std::byte>(dst_last);  // destination ::dst_last
  return h;
}

}  // namespace

TEST_CASE("encode: ICMPv4 echo request matches the well-known Windows ping") {
  std::vector<std::byte> out;
  encode_echo_request(AF_INET, 1, 1, text("abcdefghijklmnopqrstuvwabcdefghi"), out);
  REQUIRE(out.size() == 40);
  CHECK(out[0] == std::byte{8});
  CHECK(out[2] == std::byte{0x4d});
  CHECK(out[3] == std::byte{0x5a});
  CHECK(checksum_valid(out));
}

TEST_CASE("encode: update keeps the checksum valid; ICMPv6 leaves it to the kernel") {
  auto payload = text("0123456789");
  std::vector<std::byte> out;
  encode_echo_request(AF_INET, 0, 0, payload, out);
  update_echo_request(AF_INET, out, 0xbeef, 0xffff, nt::wire::checksum_add(0, payload));
  CHECK(checksum_valid(out));
  CHECK(out[4] == std::byte{0xbe});
  CHECK(out[7] == std::byte{0xff});
  encode_echo_request(AF_INET6, 7, 9, payload, out);
  CHECK(out[0] == std::byte{128});
  CHECK(out[2] == std::byte{0});
  CHECK(out[3] == std::byte{0});
}

TEST_CASE("parse v4: echo reply with IP header") {
  auto payload = text("hello world!");
  auto pkt = cat(ipv4_header(1, 63, 9), echo(AF_INET, kEchoReplyV4, 0x1234, 7, payload));
  Message m = parse_v4(pkt, true);
  REQUIRE(m.kind == Kind::echo_reply);
  CHECK(m.id == 0x1234);
  CHECK(m.seq == 7);
  CHECK(m.ttl == 63);
  CHECK(m.checksum_ok);
  CHECK(m.payload.size() == payload.size());
  pkt.back() ^= std::byte{0x01};
  CHECK_FALSE(parse_v4(pkt, true).checksum_ok);
}

TEST_CASE("parse v4: datagram sockets start at the ICMP header") {
  Message m = parse_v4(echo(AF_INET, kEchoReplyV4, 1, 2, {}), false);
  CHECK(m.kind == Kind::echo_reply);
  CHECK(m.ttl == -1);
  CHECK(m.payload.empty());
}

TEST_CASE("parse v4: truncated and malformed packets") {
  auto reply = echo(AF_INET, kEchoReplyV4, 1, 2, text("x"));
  CHECK(parse_v4(bytes({0x45, 0, 0, 0, 0, 0, 0, 0, 64, 1}), true).kind ==
        Kind::malformed);  // short IP header
  auto bad_ihl = cat(ipv4_header(1, 64, 9), reply);
  bad_ihl[0] = std::byte{0x43};  // IHL 12 bytes
  CHECK(std::string(parse_v4(bad_ihl, true).problem) == "IPv4 header length below 20 bytes");
  auto long_ihl = cat(ipv4_header(1, 64, 9), bytes({0, 0, 0}));
  long_ihl[0] = std::byte{0x4f};  // 60 bytes claimed, 23 present
  CHECK(parse_v4(long_ihl, true).kind == Kind::malformed);
  auto v6 = cat(ipv4_header(1, 64, 9), reply);
  v6[0] = std::byte{0x65};
  CHECK(parse_v4(v6, true).kind == Kind::malformed);
  CHECK(parse_v4(cat(ipv4_header(1, 64, 9), bytes({0, 0, 0, 0})), true).kind ==
        Kind::malformed);  // short ICMP
  CHECK(parse_v4(bytes({0, 0, 0}), false).kind == Kind::malformed);
  CHECK(parse_v4(cat(ipv4_header(17, 64, 9), reply), true).kind == Kind::other);  // UDP
}

TEST_CASE("parse v4: wrong type is not a reply") {
  Message m = parse_v4(echo(AF_INET, kEchoRequestV4, 1, 2, {}), false);
  CHECK(m.kind == Kind::other);
  CHECK(m.type == kEchoRequestV4);
}

TEST_CASE("parse v4: time exceeded quoting our echo request") {
  auto quoted = cat(ipv4_header(1, 1, 9), echo(AF_INET, kEchoRequestV4, 0xabcd, 3, text("payload!")));
  auto err = cat(bytes({kTimeExceededV4, 0, 0, 0, 0, 0, 0, 0}), quoted);
  Message m = parse_v4(cat(ipv4_header(1, 64, 1), err), true);
  REQUIRE(m.kind == Kind::error);
  CHECK(m.type == kTimeExceededV4);
  CHECK(m.quoted.id == 0xabcd);
  CHECK(m.quoted.seq == 3);
  CHECK(m.quoted.destination.family == AF_INET);
  CHECK(m.quoted.destination.bytes[0] == 10);
  CHECK(m.quoted.destination.bytes[3] == 9);
  CHECK(describe_error(AF_INET, m.type, m.code, m.info) == "Time to live exceeded");
}

TEST_CASE("parse v4: quoted-packet errors that are not about our probes") {
  auto udp = cat(ipv4_header(17, 1, 9), bytes({0, 53, 0, 53, 0, 8, 0, 0}));
  CHECK(parse_v4(cat(bytes({kDestUnreachV4, 3, 0, 0, 0, 0, 0, 0}), udp), false).kind == Kind::other);
  auto reply = cat(ipv4_header(1, 1, 9), echo(AF_INET, kEchoReplyV4, 1, 1, {}));
  CHECK(parse_v4(cat(bytes({kDestUnreachV4, 1, 0, 0, 0, 0, 0, 0}), reply), false).kind == Kind::other);
  auto cut = cat(ipv4_header(1, 1, 9), bytes({8, 0, 0}));  // quoted ICMP cut short
  CHECK(parse_v4(cat(bytes({kDestUnreachV4, 1, 0, 0, 0, 0, 0, 0}), cut), false).kind == Kind::malformed);
  CHECK(parse_v4(bytes({kDestUnreachV4, 1, 0, 0, 0, 0, 0, 0, 0x45}), false).kind == Kind::malformed);
}

TEST_CASE("parse v4: fragmentation needed carries the MTU") {
  auto quoted = cat(ipv4_header(1, 64, 9), echo(AF_INET, kEchoRequestV4, 1, 1, {}));
  Message m = parse_v4(cat(bytes({kDestUnreachV4, 4, 0, 0, 0, 0, 0x05, 0x78}), quoted), false);
  REQUIRE(m.kind == Kind::error);
  CHECK(m.info == 1400);
  CHECK(describe_error(AF_INET, m.type, m.code, m.info) == "Frag needed and DF set (mtu = 1400)");
  CHECK(describe_error(AF_INET, kDestUnreachV4, 1, 0) == "Destination Host Unreachable");
  CHECK(describe_error(AF_INET, kDestUnreachV4, 99, 0) == "Dest Unreachable, Bad Code: 99");
}

TEST_CASE("parse v6: echo reply, errors, truncation") {
  Message r = parse_v6(echo(AF_INET6, kEchoReplyV6, 5, 6, text("abc")));
  REQUIRE(r.kind == Kind::echo_reply);
  CHECK(r.id == 5);
  CHECK(r.seq == 6);
  CHECK(r.payload.size() == 3);
  CHECK(parse_v6(bytes({129, 0, 0, 0, 0})).kind == Kind::malformed);
  CHECK(parse_v6(echo(AF_INET6, kEchoRequestV6, 5, 6, {})).kind == Kind::other);

  auto quoted = cat(ipv6_header(58, 9), echo(AF_INET6, kEchoRequestV6, 0x4242, 11, text("data")));
  Message big = parse_v6(cat(bytes({kPacketTooBigV6, 0, 0, 0, 0, 0, 0x05, 0x00}), quoted));
  REQUIRE(big.kind == Kind::error);
  CHECK(big.info == 1280);
  CHECK(big.quoted.id == 0x4242);
  CHECK(big.quoted.seq == 11);
  CHECK(big.quoted.destination.family == AF_INET6);
  CHECK(big.quoted.destination.bytes[15] == 9);
  CHECK(describe_error(AF_INET6, big.type, big.code, big.info) == "Packet too big: mtu=1280");
  CHECK(describe_error(AF_INET6, kTimeExceededV6, 0, 0) == "Time exceeded: Hop limit");

  auto udp = cat(ipv6_header(17, 9), bytes({0, 53, 0, 53, 0, 8, 0, 0}));
  CHECK(parse_v6(cat(bytes({kDestUnreachV6, 4, 0, 0, 0, 0, 0, 0}), udp)).kind == Kind::other);
  CHECK(parse_v6(cat(bytes({kDestUnreachV6, 4, 0, 0, 0, 0, 0, 0}), bytes({0x60, 0, 0}))).kind ==
        Kind::malformed);
}

TEST_CASE("parse_own_request: the error queue returns our request") {
  Message m = parse_own_request(AF_INET, echo(AF_INET, kEchoRequestV4, 0x77, 12, {}));
  REQUIRE(m.kind == Kind::error);
  CHECK(m.quoted.id == 0x77);
  CHECK(m.quoted.seq == 12);
  CHECK(parse_own_request(AF_INET, echo(AF_INET, kEchoReplyV4, 1, 1, {})).kind == Kind::other);
  CHECK(parse_own_request(AF_INET6, bytes({128, 0})).kind == Kind::malformed);
}
