// --banner: what an open TCP service says first, bounded in bytes and time, read on the event loop.
#pragma once
#include <cstddef>
#include <functional>
#include <unordered_map>

#include "event/loop.hpp"
#include "net/fd.hpp"
#include "subcommands/portscan/report.hpp"

namespace nt::portscan {

inline constexpr std::size_t kBannerBytes = 512;

class BannerReader {
 public:
  using Done = std::function<void(PortResult)>;
  BannerReader(event::EventLoop& loop, std::chrono::nanoseconds wait, Done done);
  ~BannerReader();

  // Takes a connected (or still connecting) socket and reports `result` with the banner once the
  // service spoke, closed, failed, or `wait` passed.
  void read(net::UniqueFd fd, PortResult result);
  // Connects to the open port first (after a SYN scan found it).
  void connect_and_read(PortResult result);
  std::size_t pending() const noexcept { return pending_.size(); }

 private:
  struct Pending {
    net::UniqueFd fd;
    PortResult result;
    event::EventLoop::TimerId timer;
  };
  void finish(int fd, std::span<const std::byte> data);

  event::EventLoop& loop_;
  std::chrono::nanoseconds wait_;
  Done done_;
  std::unordered_map<int, Pending> pending_;
};

// Closes a TCP socket with an RST (SO_LINGER 0): a scanner leaves no TIME_WAIT behind.
void abort_close(net::UniqueFd& fd) noexcept;

}  // namespace nt::portscan
