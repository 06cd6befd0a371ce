#include "net/cmsg.hpp"

namespace nt::net {

bool read_traffic_class(const Cmsg& c, int& tos) noexcept {
  if (c.level == IPPROTO_IPV6 && c.type == IPV6_TCLASS) return cmsg_read(c, tos);
  uint8_t byte = 0;  // IP_RECVTOS delivers the TOS as a single byte (ip_cmsg_recv_tos)
  if (c.level != IPPROTO_IP || c.type != IP_TOS || !cmsg_read(c, byte)) return false;
  tos = byte;
  return true;
}

bool read_pktinfo(const Cmsg& c, PacketInfo& out) noexcept {
  if (c.level == IPPROTO_IP && c.type == IP_PKTINFO) {
    in_pktinfo pi{};
    if (!cmsg_read(c, pi)) return false;
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr = pi.ipi_addr;
    out = {SocketAddress(reinterpret_cast<const sockaddr*>(&sa), sizeof sa), pi.ipi_ifindex};
    return true;
  }
  if (c.level == IPPROTO_IPV6 && c.type == IPV6_PKTINFO) {
    in6_pktinfo pi{};
    if (!cmsg_read(c, pi)) return false;
    sockaddr_in6 sa{};
    sa.sin6_family = AF_INET6;
    sa.sin6_addr = pi.ipi6_addr;
    out = {SocketAddress(reinterpret_cast<const sockaddr*>(&sa), sizeof sa),
           static_cast<int>(pi.ipi6_ifindex)};
    return true;
  }
  return false;
}

bool read_extended_error(const Cmsg& c, ExtendedError& out) noexcept {
  const bool ours =
      (c.level == IPPROTO_IP && c.type == IP_RECVERR) || (c.level == IPPROTO_IPV6 && c.type == IPV6_RECVERR);
  if (!ours || !cmsg_read(c, out.ee)) return false;
  // SO_EE_OFFENDER: a sockaddr right after the extended error, AF_UNSPEC when the kernel has none.
  out.offender = SocketAddress();
  const auto rest = c.data.subspan(sizeof(sock_extended_err));
  sa_family_t family = AF_UNSPEC;
  if (rest.size() >= sizeof family) std::memcpy(&family, rest.data(), sizeof family);
  const std::size_t need = family == AF_INET    ? sizeof(sockaddr_in)
                           : family == AF_INET6 ? sizeof(sockaddr_in6)
                                                : 0;
  if (need != 0 && rest.size() >= need) {
    sockaddr_storage ss{};
    std::memcpy(&ss, rest.data(), need);
    out.offender = SocketAddress(reinterpret_cast<const sockaddr*>(&ss), static_cast<socklen_t>(need));
  }
  return true;
}

std::size_t read_fds(const Cmsg& c, std::span<int> out) noexcept {
  if (c.level != SOL_SOCKET || c.type != SCM_RIGHTS) return 0;
  const std::size_t count = c.data.size() / sizeof(int);
  const std::size_t copied = std::min(count, out.size());
  if (copied) std::memcpy(out.data(), c.data.data(), copied * sizeof(int));
  return count;
}

bool read_credentials(const Cmsg& c, ucred& out) noexcept {
  return c.level == SOL_SOCKET && c.type == SCM_CREDENTIALS && cmsg_read(c, out);
}

bool ControlBuilder::add(int level, int type, std::span<const std::byte> data) noexcept {
  const std::size_t space = CMSG_SPACE(data.size());
  if (reinterpret_cast<uintptr_t>(buf_.data()) % alignof(cmsghdr) != 0 || buf_.size() - used_ < space)
    return false;
  std::byte* at = buf_.data() + used_;
  std::memset(at, 0, space);
  cmsghdr h{};
  h.cmsg_len = CMSG_LEN(data.size());
  h.cmsg_level = level;
  h.cmsg_type = type;
  std::memcpy(at, &h, sizeof h);
  if (!data.empty()) std::memcpy(at + CMSG_LEN(0), data.data(), data.size());
  used_ += space;
  return true;
}

bool ControlBuilder::add_pktinfo(const PacketInfo& info) noexcept {
  if (info.destination.family() == AF_INET) {
    in_pktinfo pi{};
    pi.ipi_ifindex = info.ifindex;
    pi.ipi_spec_dst = reinterpret_cast<const sockaddr_in*>(info.destination.get())->sin_addr;
    return add_value(IPPROTO_IP, IP_PKTINFO, pi);
  }
  if (info.destination.family() == AF_INET6) {
    in6_pktinfo pi{};
    pi.ipi6_ifindex = static_cast<unsigned>(info.ifindex);
    pi.ipi6_addr = reinterpret_cast<const sockaddr_in6*>(info.destination.get())->sin6_addr;
    return add_value(IPPROTO_IPV6, IPV6_PKTINFO, pi);
  }
  return false;
}

void ControlBuilder::attach(msghdr& msg) noexcept {
  msg.msg_control = used_ ? buf_.data() : nullptr;
  msg.msg_controllen = used_;
}

}  // namespace nt::net
