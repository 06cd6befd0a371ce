#include "net/route.hpp"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>

#include <array>
#include <cstring>

#include "net/fd.hpp"
#include "net/socket_handle.hpp"

namespace nt::net {

namespace {
struct RouteRequest {
  nlmsghdr header;
  rtmsg route;
  std::array<char, RTA_SPACE(16)> attributes;
};

// RTM_GETROUTE for dest with its address as RTA_DST (a /32 or /128 lookup).
RouteRequest build_request(const SocketAddress& dest) noexcept {
  RouteRequest req{};
  const bool v6 = dest.family() == AF_INET6;
  const void* addr =
      v6 ? static_cast<const void*>(&reinterpret_cast<const sockaddr_in6*>(dest.get())->sin6_addr)
         : static_cast<const void*>(&reinterpret_cast<const sockaddr_in*>(dest.get())->sin_addr);
  const std::size_t len = v6 ? 16 : 4;
  req.route.rtm_family = static_cast<unsigned char>(dest.family());
  req.route.rtm_dst_len = static_cast<unsigned char>(len * 8);
  auto* rta = reinterpret_cast<rtattr*>(req.attributes.data());
  rta->rta_type = RTA_DST;
  rta->rta_len = static_cast<unsigned short>(RTA_LENGTH(len));
  std::memcpy(RTA_DATA(rta), addr, len);
  req.header.nlmsg_len = static_cast<uint32_t>(NLMSG_LENGTH(sizeof(rtmsg)) + RTA_SPACE(len));
  req.header.nlmsg_type = RTM_GETROUTE;
  req.header.nlmsg_flags = NLM_F_REQUEST;
  req.header.nlmsg_seq = 1;
  return req;
}

// RTA_OIF of the first RTM_NEWROUTE in the reply, or the error the kernel sent.
int parse_reply(const char* buf, std::size_t n) noexcept {
  auto len = static_cast<unsigned int>(n);
  for (auto* h = reinterpret_cast<const nlmsghdr*>(buf); NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
    if (h->nlmsg_type == NLMSG_ERROR) {
      if (h->nlmsg_len < NLMSG_LENGTH(sizeof(nlmsgerr))) return -EBADMSG;
      const auto* err = static_cast<const nlmsgerr*>(NLMSG_DATA(h));
      return err->error != 0 ? err->error : -ENOENT;
    }
    if (h->nlmsg_type != RTM_NEWROUTE) continue;
    auto attr_len = static_cast<int>(RTM_PAYLOAD(h));
    for (auto* a = RTM_RTA(static_cast<const rtmsg*>(NLMSG_DATA(h))); RTA_OK(a, attr_len);
         a = RTA_NEXT(a, attr_len)) {
      if (a->rta_type == RTA_OIF && RTA_PAYLOAD(a) >= sizeof(int)) {
        int index = 0;
        std::memcpy(&index, RTA_DATA(a), sizeof index);
        return index;
      }
    }
    return -ENOENT;
  }
  return -EBADMSG;
}
}  // namespace

int route_output_interface(const SocketAddress& dest) noexcept {
  if (dest.family() != AF_INET && dest.family() != AF_INET6) return -EAFNOSUPPORT;
  const int fd = try_socket(AF_NETLINK, SOCK_DGRAM, NETLINK_ROUTE);
  if (fd < 0) return fd;
  const UniqueFd owned(fd);
  const SocketHandle s(owned);
  const RouteRequest req = build_request(dest);
  const ssize_t sent = s.send(std::as_bytes(std::span(&req, 1)).first(req.header.nlmsg_len));
  if (sent < 0) return static_cast<int>(sent);
  alignas(nlmsghdr) std::array<char, 4096> buf{};
  const ssize_t n = s.recv(std::as_writable_bytes(std::span(buf)));
  if (n < 0) return static_cast<int>(n);
  return parse_reply(buf.data(), static_cast<std::size_t>(n));
}

}  // namespace nt::net
