// SYN probes queued during one pump and sent together with sendmmsg(2): one system call per batch
// instead of one per probe. In a VM, entering and leaving the kernel costs about as much as the
// kernel's whole work on one SYN.
#pragma once
#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <functional>
#include <span>

#include "net/address.hpp"
#include "subcommands/portscan/engine.hpp"
#include "subcommands/portscan/packet.hpp"

namespace nt::portscan {

class SynBatch {
 public:
  static constexpr std::size_t kCapacity = 256;
  // A packet the kernel refused, with its errno; return false to give up on the rest of its socket's
  // run (they are left to the engine's timeout and retry), true to go on with the next packet.
  using Failure = std::function<bool(const ProbeKey& key, int err)>;

  bool full() const noexcept { return count_ == kCapacity; }
  void add(int fd, std::span<const std::byte> packet, const net::SocketAddress& dst, const ProbeKey& key);
  void flush(const Failure& failed);

 private:
  struct Entry {
    int fd = -1;
    ProbeKey key;
    net::SocketAddress dst;
    std::array<std::byte, scan::kIpv6HeaderSize + scan::kTcpSynSize> packet{};
    iovec iov{};
  };
  void send_run(std::size_t begin, std::size_t end, const Failure& failed);

  std::array<Entry, kCapacity> entries_{};
  std::array<mmsghdr, kCapacity> messages_{};
  std::size_t count_ = 0;
};

}  // namespace nt::portscan
