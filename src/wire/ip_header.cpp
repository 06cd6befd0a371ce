#include "wire/ip_header.hpp"

#include <sys/socket.h>

#include "wire/big_endian.hpp"

namespace nt::wire {

namespace {
IpHeaderView failed(IpProblem problem) noexcept {
  IpHeaderView v;
  v.problem = problem;
  return v;
}
}  // namespace

IpHeaderView view_ipv4(std::span<const std::byte> p) noexcept {
  if (p.size() < kIpv4MinHeaderSize) return failed(IpProblem::truncated);
  if (read_u8(p, 0) >> 4 != 4) return failed(IpProblem::version);
  const std::size_t ihl = (read_u8(p, 0) & 0x0fu) * 4u;
  if (ihl < kIpv4MinHeaderSize) return failed(IpProblem::header_length);
  if (ihl > p.size()) return failed(IpProblem::beyond_packet);
  IpHeaderView v;
  v.problem = IpProblem::none;
  v.family = AF_INET;
  v.length = ihl;
  v.ttl = read_u8(p, 8);
  v.protocol = read_u8(p, 9);
  v.src = p.subspan(12, 4);
  v.dst = p.subspan(16, 4);
  return v;
}

IpHeaderView view_ipv6(std::span<const std::byte> p) noexcept {
  if (p.size() < kIpv6HeaderSize) return failed(IpProblem::truncated);
  if (read_u8(p, 0) >> 4 != 6) return failed(IpProblem::version);
  IpHeaderView v;
  v.problem = IpProblem::none;
  v.family = AF_INET6;
  v.length = kIpv6HeaderSize;
  v.protocol = read_u8(p, 6);
  v.ttl = read_u8(p, 7);
  v.src = p.subspan(8, 16);
  v.dst = p.subspan(24, 16);
  return v;
}

IpHeaderView view_ip(std::span<const std::byte> p) noexcept {
  if (p.empty()) return failed(IpProblem::truncated);
  switch (read_u8(p, 0) >> 4) {
    case 4:
      return view_ipv4(p);
    case 6:
      return view_ipv6(p);
    default:
      return failed(IpProblem::version);
  }
}

}  // namespace nt::wire
