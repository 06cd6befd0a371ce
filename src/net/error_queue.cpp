#include "net/error_queue.hpp"

#include <netinet/in.h>

#include "net/cmsg.hpp"

namespace nt::net {

int enable_error_queue(SocketHandle s, int family) noexcept {
  if (family == AF_INET6) {
    if (const int rc = s.set_int(sockopt("IPV6_RECVERR"), 1); rc != 0) return rc;
    int v6only = 0;
    if (s.get_int(sockopt("IPV6_V6ONLY"), v6only) != 0 || v6only) return 0;
  }
  return s.set_int(sockopt("IP_RECVERR"), 1);
}

void parse_error_control(const msghdr& msg, ErrorQueueEntry& out) noexcept {
  ControlMessages control(msg);
  out.control_truncated = control.truncated();
  control.for_each([&](const Cmsg& c) {
    ExtendedError e;
    if (read_timestamp(c, out.kernel_time)) return;
    if (!read_extended_error(c, e)) return;
    out.has_extended_error = true;
    out.error = static_cast<int>(e.ee.ee_errno);
    out.origin = e.ee.ee_origin;
    out.type = e.ee.ee_type;
    out.code = e.ee.ee_code;
    out.info = e.ee.ee_info;
    out.offender = e.offender;
  });
}

ssize_t read_error_queue(SocketHandle s, std::span<std::byte> buffer, ErrorQueueEntry& out) noexcept {
  // A timestamp, an extended error and its offender (sockaddr_in6), with room to spare.
  alignas(cmsghdr) std::byte control[256];
  iovec iov{buffer.data(), buffer.size()};
  msghdr msg{};
  out = ErrorQueueEntry{};
  msg.msg_name = out.destination.get_mut();
  msg.msg_namelen = SocketAddress::capacity();
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  const ssize_t n = s.recv_msg(msg, MSG_ERRQUEUE | MSG_DONTWAIT);
  if (n < 0) return n;
  out.destination.set_size(msg.msg_namelen);
  parse_error_control(msg, out);
  return n;
}

}  // namespace nt::net
