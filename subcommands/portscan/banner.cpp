#include "subcommands/portscan/banner.hpp"

#include <sys/socket.h>

#include <array>

#include "net/io.hpp"
#include "net/socket.hpp"
#include "net/socket_handle.hpp"
#include "subcommands/portscan/services.hpp"

namespace nt::portscan {

void abort_close(net::UniqueFd& fd) noexcept {
  if (!fd) return;
  (void)net::SocketHandle(fd).set_linger(true, 0);
  fd.reset();
}

BannerReader::BannerReader(event::EventLoop& loop, std::chrono::nanoseconds wait, Done done)
    : loop_(loop), wait_(wait), done_(std::move(done)) {}

BannerReader::~BannerReader() {
  for (auto& [fd, p] : pending_) {
    loop_.remove(fd);
    loop_.cancel_timer(p.timer);
    abort_close(p.fd);
  }
}

void BannerReader::read(net::UniqueFd fd, PortResult result) {
  const int raw = fd.get();
  const auto timer = loop_.add_timer(wait_, [this, raw] { finish(raw, {}); });
  pending_.emplace(raw, Pending{std::move(fd), std::move(result), timer});
  loop_.add(raw, EPOLLIN | EPOLLRDHUP, [this, raw](uint32_t) {
    std::array<std::byte, kBannerBytes> buf{};
    const ssize_t n = net::try_recv(raw, buf);
    if (n == -EAGAIN) return;  // spurious wake-up (still connecting)
    finish(raw, std::span<const std::byte>(buf.data(), n > 0 ? static_cast<std::size_t>(n) : 0));
  });
}

void BannerReader::connect_and_read(PortResult result) {
  int err = 0;
  net::UniqueFd fd = net::start_connect(result.host.socket_address(result.port), err);
  if (!fd || (err != 0 && err != EINPROGRESS)) {
    result.banner = "";
    done_(std::move(result));
    return;
  }
  read(std::move(fd), std::move(result));
}

void BannerReader::finish(int fd, std::span<const std::byte> data) {
  auto it = pending_.find(fd);
  if (it == pending_.end()) return;
  Pending p = std::move(it->second);
  pending_.erase(it);
  loop_.remove(fd);
  loop_.cancel_timer(p.timer);
  abort_close(p.fd);
  p.result.banner = scan::escape_bytes(data);
  done_(std::move(p.result));
}

}  // namespace nt::portscan
