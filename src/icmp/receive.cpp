#include "icmp/receive.hpp"

#include <linux/errqueue.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace nt::icmp {

namespace {

constexpr std::size_t kControlSize = PacketReader::kControlSize;

// Bytes of data the control message carries (a truncated one can carry fewer than its type needs).
std::size_t data_length(const cmsghdr* c) noexcept {
  return c->cmsg_len > CMSG_LEN(0) ? c->cmsg_len - CMSG_LEN(0) : 0;
}

void read_control(msghdr& msg, struct timespec& ts, int* ttl, ReceivedError* err) noexcept {
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    const void* data = CMSG_DATA(c);
    const std::size_t length = data_length(c);
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS && length >= sizeof ts) {
      std::memcpy(&ts, data, sizeof ts);
    } else if (ttl && length >= sizeof *ttl &&
               ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) ||
                (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT))) {
      std::memcpy(ttl, data, sizeof *ttl);
    } else if (err && length >= sizeof(sock_extended_err) &&
               ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR) ||
                (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR))) {
      sock_extended_err ee{};
      std::memcpy(&ee, data, sizeof ee);
      err->has_extended_error = true;
      err->error = static_cast<int>(ee.ee_errno);
      err->origin = ee.ee_origin;
      err->type = ee.ee_type;
      err->code = ee.ee_code;
      err->info = ee.ee_info;
      // SO_EE_OFFENDER: the sockaddr right after the extended error; AF_UNSPEC when none.
      const auto* offender =
          reinterpret_cast<const sockaddr*>(static_cast<const sock_extended_err*>(data) + 1);
      const auto room = static_cast<socklen_t>(length - sizeof ee);
      if (room >= sizeof(sa_family_t) && offender->sa_family != AF_UNSPEC) {
        err->offender = net::SocketAddress(offender, room);
      }
    }
  }
}

ssize_t receive(int fd, std::span<std::byte> buffer, int flags, msghdr& msg,
                net::SocketAddress& from) noexcept {
  iovec iov{buffer.data(), buffer.size()};
  msg.msg_name = from.get_mut();
  msg.msg_namelen = net::SocketAddress::capacity();
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  ssize_t n;
  do {
    n = ::recvmsg(fd, &msg, flags | MSG_DONTWAIT);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return -errno;
  from.set_size(msg.msg_namelen);
  return n;
}

}  // namespace

ssize_t receive_packet(int fd, std::span<std::byte> buffer, Received& meta) noexcept {
  PacketReader reader;
  reader.prepare(buffer, meta);
  ssize_t n;
  do {
    n = ::recvmsg(fd, &reader.msg, MSG_DONTWAIT);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return -errno;
  reader.finish(meta);
  return n;
}

void PacketReader::prepare(std::span<std::byte> buffer, Received& meta) noexcept {
  iov = {buffer.data(), buffer.size()};
  msg = {};
  msg.msg_name = meta.from.get_mut();
  msg.msg_namelen = net::SocketAddress::capacity();
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  meta.kernel_time = {};
  meta.ttl = -1;
}

void PacketReader::finish(Received& meta) noexcept {
  meta.from.set_size(msg.msg_namelen);
  meta.truncated = (msg.msg_flags & MSG_TRUNC) != 0;
  read_control(msg, meta.kernel_time, &meta.ttl, nullptr);
}

ssize_t receive_error(int fd, std::span<std::byte> buffer, ReceivedError& meta) noexcept {
  alignas(cmsghdr) char control[kControlSize];
  msghdr msg{};
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  meta = ReceivedError{};
  ssize_t n = receive(fd, buffer, MSG_ERRQUEUE, msg, meta.destination);
  if (n < 0) return n;
  read_control(msg, meta.kernel_time, nullptr, &meta);
  return n;
}

}  // namespace nt::icmp
