#include "net/stream.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "net/io.hpp"

namespace nt::net {

std::string Stream::error_text() const {
  return "stream error";
}

IoResult SocketStream::read(std::span<std::byte> buf) noexcept {
  for (;;) {
    ssize_t n = ::recv(fd_.get(), buf.data(), buf.size(), MSG_DONTWAIT);
    if (n > 0) return IoResult::moved(static_cast<std::size_t>(n));
    // recv of an empty buffer also returns 0: not the peer's FIN.
    if (n == 0) return buf.empty() ? IoResult::moved(0) : IoResult{IoResult::Status::eof, 0, 0};
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return {IoResult::Status::want_read, 0, 0};
    last_error_ = errno;
    return IoResult::failed(errno);
  }
}

IoResult SocketStream::write(std::span<const std::byte> data) noexcept {
  for (;;) {
    ssize_t n = ::send(fd_.get(), data.data(), data.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n >= 0) return IoResult::moved(static_cast<std::size_t>(n));
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return {IoResult::Status::want_write, 0, 0};
    last_error_ = errno;
    return IoResult::failed(errno);
  }
}

IoResult SocketStream::write_gather(std::span<const std::span<const std::byte>> bufs) noexcept {
  std::array<iovec, kMaxGather> iov{};
  std::size_t n = std::min(bufs.size(), iov.size());
  for (std::size_t i = 0; i < n; ++i) {
    iov[i].iov_base = const_cast<std::byte*>(bufs[i].data());  // sendmsg does not write through it
    iov[i].iov_len = bufs[i].size();
  }
  msghdr msg{};
  msg.msg_iov = iov.data();
  msg.msg_iovlen = n;
  for (;;) {
    ssize_t sent = ::sendmsg(fd_.get(), &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (sent >= 0) return IoResult::moved(static_cast<std::size_t>(sent));
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return {IoResult::Status::want_write, 0, 0};
    last_error_ = errno;
    return IoResult::failed(errno);
  }
}

IoResult SocketStream::shutdown_write() noexcept {
  if (::shutdown(fd_.get(), SHUT_WR) == 0) return IoResult::moved(0);
  last_error_ = errno;
  return IoResult::failed(errno);
}

std::string SocketStream::error_text() const {
  return last_error_ == 0 ? std::string("no error") : std::string(std::strerror(last_error_));
}

void set_no_delay(int fd) noexcept {
  // Small messages must leave at once; Nagle would hold one back until the previous one is ACKed.
  // Not a TCP socket (unix, abstract): EOPNOTSUPP, nothing to do.
  int one = 1;
  (void)::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

}  // namespace nt::net

namespace nt::net {

std::unique_ptr<Stream> plain_stream(UniqueFd fd, const SocketAddress& /*peer*/) {
  return std::make_unique<SocketStream>(std::move(fd));
}

int wait_for(const Stream& stream, const IoResult& last, std::chrono::milliseconds timeout) noexcept {
  short events = last.status == IoResult::Status::want_write ? POLLOUT : POLLIN;
  return wait_ready(stream.fd(), events, timeout);
}

IoResult complete_handshake(Stream& stream, std::chrono::milliseconds timeout) noexcept {
  for (;;) {
    IoResult r = stream.handshake();
    if (!r.would_block()) return r;
    int ready = wait_for(stream, r, timeout);
    if (ready == 0) return IoResult::failed(ETIMEDOUT);
    if (ready < 0) return IoResult::failed(-ready);
  }
}

}  // namespace nt::net
