#include "subcommands/portscan/syn_batch.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "net/socket_handle.hpp"

namespace nt::portscan {

void SynBatch::add(int fd, std::span<const std::byte> packet, const net::SocketAddress& dst,
                   const ProbeKey& key) {
  Entry& e = entries_[count_];
  e.fd = fd;
  e.key = key;
  e.dst = dst;
  const std::size_t len = std::min(packet.size(), e.packet.size());
  std::memcpy(e.packet.data(), packet.data(), len);
  e.iov = iovec{e.packet.data(), len};
  msghdr& m = messages_[count_].msg_hdr;
  m = msghdr{};
  m.msg_name = const_cast<sockaddr*>(e.dst.get());
  m.msg_namelen = e.dst.size();
  m.msg_iov = &e.iov;
  m.msg_iovlen = 1;
  ++count_;
}

void SynBatch::flush(const Failure& failed) {
  for (std::size_t begin = 0; begin < count_;) {
    std::size_t end = begin + 1;
    while (end < count_ && entries_[end].fd == entries_[begin].fd) ++end;
    send_run(begin, end, failed);
    begin = end;
  }
  count_ = 0;
}

void SynBatch::send_run(std::size_t begin, std::size_t end, const Failure& failed) {
  const int fd = entries_[begin].fd;
  for (std::size_t next = begin; next < end;) {
    const int sent = net::SocketHandle(fd).send_mmsg(std::span(&messages_[next], end - next));
    if (sent > 0) {
      next += static_cast<std::size_t>(sent);
      continue;
    }
    const int err = -sent;
    // sendmmsg reports the error of the first message it could not send; skip past that one.
    if (!failed(entries_[next].key, err)) return;
    ++next;
  }
}

}  // namespace nt::portscan
