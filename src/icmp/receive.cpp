#include "icmp/receive.hpp"

#include <sys/socket.h>

#include <cerrno>

#include "net/cmsg.hpp"
#include "net/socket_handle.hpp"

namespace nt::icmp {

ssize_t receive_packet(int fd, std::span<std::byte> buffer, Received& meta) noexcept {
  PacketReader reader;
  reader.prepare(buffer, meta);
  const ssize_t n = net::SocketHandle(fd).recv_msg(reader.msg, MSG_DONTWAIT);
  if (n < 0) return n;
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
  net::ControlMessages(msg).for_each([&](const net::Cmsg& c) {
    (void)(net::read_timestamp(c, meta.kernel_time) || net::read_hop_limit(c, meta.ttl));
  });
}

}  // namespace nt::icmp
