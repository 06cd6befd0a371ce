// The wire module against known vectors: big-endian fields, the RFC 1071 checksum (the RFC's own
// example, an IPv4 header from the wild, pseudo-headers computed independently), IP header views.
#include <doctest/doctest.h>
#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "wire/big_endian.hpp"
#include "wire/checksum.hpp"
#include "wire/ip_header.hpp"

using namespace nt::wire;

namespace {
std::vector<std::byte> bytes(std::initializer_list<unsigned> v) {
  std::vector<std::byte> out;
  for (unsigned b : v) out.push_back(static_cast<std::byte>(b));
  return out;
}
// 192.168.0.1 → 192.168.0.199, UDP, total length 0x73, checksum 0xb861.
std::vector<std::byte> ipv4_header() {
  return bytes({0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7});
}
}  // namespace

TEST_CASE("big endian: reads and writes in network order") {
  auto b = bytes({0x12, 0x34, 0x56, 0x78, 0x9a});
  CHECK(read_u8(b, 4) == 0x9a);
  CHECK(read_u16(b, 1) == 0x3456);
  CHECK(read_u32(b, 0) == 0x12345678u);
  CHECK(read_u32(b, 1) == 0x3456789au);
  std::array<std::byte, 7> out{};
  write_u16(out, 0, 0xbeef);
  write_u32(out, 2, 0x01020304u);
  write_u8(out, 6, 0xff);
  CHECK(out == std::array<std::byte, 7>{std::byte{0xbe}, std::byte{0xef}, std::byte{1}, std::byte{2},
                                        std::byte{3}, std::byte{4}, std::byte{0xff}});
}

TEST_CASE("checksum: RFC 1071 section 3 example, odd lengths, all ones, empty") {
  auto rfc = bytes({0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7});
  CHECK(checksum_add(0, rfc) == 0xddf2);  // the folded sum the RFC shows
  CHECK(internet_checksum(rfc) == 0x220d);
  CHECK(internet_checksum(bytes({0x01})) == 0xfeff);  // pads with a zero byte: 0x0100
  CHECK(internet_checksum(bytes({0x00, 0x01, 0xf2})) == 0x0dfe);
  CHECK(internet_checksum(bytes({0xff, 0xff, 0xff, 0xff})) == 0x0000);
  CHECK(internet_checksum({}) == 0xffff);
}

TEST_CASE("checksum: pieces add up to the whole; a header with its checksum verifies") {
  auto rfc = bytes({0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7});
  const std::span<const std::byte> all(rfc);
  CHECK(checksum_finish(checksum_add(checksum_add(0, all.first(2)), all.subspan(2))) == 0x220d);
  auto header = ipv4_header();
  CHECK(checksum_valid(header));
  header[10] = header[11] = std::byte{0};
  CHECK(internet_checksum(header) == 0xb861);
  header[15] = std::byte{2};
  CHECK_FALSE(checksum_valid(header));
}

TEST_CASE("checksum: a 64 KiB run of 0xff bytes folds without overflow") {
  std::vector<std::byte> big(65536, std::byte{0xff});
  CHECK(internet_checksum(big) == 0x0000);
}

TEST_CASE("pseudo-header sums (values from an independent implementation)") {
  auto src = bytes({192, 168, 0, 1}), dst = bytes({192, 168, 0, 199});
  CHECK(pseudo_header_sum(src, dst, 17, 0x5f) == 0x8289);
  auto src6 = bytes({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
  auto dst6 = bytes({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2});
  CHECK(pseudo_header_sum(src6, dst6, 6, 20) == 0x5b8f);
}

TEST_CASE("IPv4 header view: fields and each malformation") {
  auto h = ipv4_header();
  auto v = view_ip(h);
  REQUIRE(v.ok());
  CHECK(v.family == AF_INET);
  CHECK(v.length == 20);
  CHECK(v.protocol == 17);
  CHECK(v.ttl == 0x40);
  CHECK(read_u32(v.src, 0) == 0xc0a80001u);
  CHECK(read_u32(v.dst, 0) == 0xc0a800c7u);
  CHECK(view_ipv4(std::span(h).first(19)).problem == IpProblem::truncated);
  CHECK(view_ipv6(h).problem == IpProblem::truncated);
  h[0] = std::byte{0x44};
  CHECK(view_ipv4(h).problem == IpProblem::header_length);
  h[0] = std::byte{0x46};
  CHECK(view_ipv4(h).problem == IpProblem::beyond_packet);
  h[0] = std::byte{0x55};
  CHECK(view_ip(h).problem == IpProblem::version);
  CHECK(view_ip({}).problem == IpProblem::truncated);
}

TEST_CASE("IPv6 header view: fields and version check") {
  std::vector<std::byte> h(48, std::byte{0});
  h[0] = std::byte{0x60};
  h[6] = std::byte{58};  // ICMPv6
  h[7] = std::byte{64};
  h[23] = std::byte{1};
  h[39] = std::byte{2};
  auto v = view_ip(h);
  REQUIRE(v.ok());
  CHECK(v.family == AF_INET6);
  CHECK(v.length == 40);
  CHECK(v.protocol == 58);
  CHECK(v.ttl == 64);
  CHECK(v.src.size() == 16);
  CHECK(read_u8(v.src, 15) == 1);
  CHECK(read_u8(v.dst, 15) == 2);
  CHECK(v.payload(h).size() == 8);
  h[0] = std::byte{0x40};
  CHECK(view_ipv6(h).problem == IpProblem::version);
}
