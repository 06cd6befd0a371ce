#include "subcommands/portscan/syn_batch.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "net/datagram_batch.hpp"

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
  (void)net::send_each(net::SocketHandle(entries_[begin].fd), std::span(&messages_[begin], end - begin), 0,
                       [&](std::size_t i, int err) { return failed(entries_[begin + i].key, err); });
}

}  // namespace nt::portscan
