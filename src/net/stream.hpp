// A byte stream over a connected socket (TCP, unix path, Linux abstract) or a TLS session on one.
// Every call is non-blocking and says what it is waiting for, so an event-loop caller arms EPOLLIN or
// EPOLLOUT from the result alone and never asks "is this TLS?": a TLS read may need the socket to be
// writable (a key update or session ticket to flush), a TLS write may need it readable.
#pragma once
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "net/address.hpp"
#include "net/fd.hpp"

namespace nt::net {

struct IoResult {
  enum class Status {
    ok,          // `bytes` moved (> 0 for read/write; 0 for a finished handshake or shutdown)
    eof,         // orderly end of the peer's data (TCP FIN, TLS close_notify)
    want_read,   // would block until the socket is readable
    want_write,  // would block until the socket is writable
    error,       // `error` holds an errno (ECONNRESET, EPIPE, EPROTO for a TLS failure, …)
  };
  Status status = Status::ok;
  std::size_t bytes = 0;
  int error = 0;

  bool ok() const noexcept { return status == Status::ok; }
  bool would_block() const noexcept { return status == Status::want_read || status == Status::want_write; }
  static IoResult moved(std::size_t n) noexcept { return {Status::ok, n, 0}; }
  static IoResult failed(int err) noexcept { return {Status::error, 0, err}; }
};

class Stream {
 public:
  virtual ~Stream() = default;
  Stream() = default;
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  // The socket underneath, for the event loop. Stays owned by the stream.
  virtual int fd() const noexcept = 0;

  // Completes whatever must happen before data flows (the TLS handshake); plain sockets: ok at once.
  // Call again after want_read/want_write until ok or error.
  virtual IoResult handshake() noexcept { return IoResult::moved(0); }

  virtual IoResult read(std::span<std::byte> buf) noexcept = 0;
  virtual IoResult write(std::span<const std::byte> data) noexcept = 0;
  // Writes from several buffers in order, returning the bytes taken across them: one sendmsg for a
  // plain socket (a stream server flushing many queued lines). A stream without gather writes (TLS)
  // writes the first buffer only, so a retry after would-block repeats the same bytes.
  virtual IoResult write_gather(std::span<const std::span<const std::byte>> bufs) noexcept {
    return bufs.empty() ? IoResult::moved(0) : write(bufs.front());
  }

  // Ends our direction: TCP shutdown(SHUT_WR); TLS sends close_notify (call again on would-block).
  virtual IoResult shutdown_write() noexcept = 0;

  // Bytes already decrypted and buffered inside the stream: a level-triggered caller must read them
  // before waiting on the socket again (epoll cannot see them). Plain sockets: 0.
  virtual std::size_t buffered() const noexcept { return 0; }

  // Words for the last error (an errno text, or the TLS library's reason with the verify result).
  virtual std::string error_text() const;

  // Bytes written to fd() go to the peer as they are (no TLS record layer), so a server may splice
  // into it (net/broadcast_pipe).
  virtual bool passes_bytes_through() const noexcept { return false; }
};

// A plain connected socket. Reads/writes use MSG_DONTWAIT and MSG_NOSIGNAL; EINTR is retried inside.
class SocketStream final : public Stream {
 public:
  static constexpr std::size_t kMaxGather = 64;  // buffers one write_gather takes (IOV_MAX is 1024)
  explicit SocketStream(UniqueFd fd) noexcept : fd_(std::move(fd)) {}
  int fd() const noexcept override { return fd_.get(); }
  IoResult read(std::span<std::byte> buf) noexcept override;
  IoResult write(std::span<const std::byte> data) noexcept override;
  IoResult write_gather(std::span<const std::span<const std::byte>> bufs) noexcept override;
  IoResult shutdown_write() noexcept override;
  std::string error_text() const override;
  bool passes_bytes_through() const noexcept override { return true; }
  UniqueFd release_fd() noexcept { return std::move(fd_); }

 private:
  UniqueFd fd_;
  int last_error_ = 0;
};

// Turns a connected socket into a stream: plain sockets become a SocketStream; a TLS factory wraps the
// socket in a session (capturing its context and the name to verify). Servers and clients take one, so
// no call site asks "is this TLS?".
using StreamFactory = std::function<std::unique_ptr<Stream>(UniqueFd fd, const SocketAddress& peer)>;
std::unique_ptr<Stream> plain_stream(UniqueFd fd, const SocketAddress& peer);

// TCP_NODELAY on a TCP socket (ignored on unix sockets).
void set_no_delay(int fd) noexcept;

// Waits (poll, interrupted by a termination signal) for what `last` said the stream waits for:
// 1 ready, 0 timeout, -EINTR on a termination signal, other -errno. timeout < 0 waits forever.
[[nodiscard]] int wait_for(const Stream& stream, const IoResult& last,
                           std::chrono::milliseconds timeout) noexcept;

// Drives handshake() to its end on a non-blocking socket: ok, or error with ETIMEDOUT / EINTR / the
// stream's own failure (error_text() has the words).
[[nodiscard]] IoResult complete_handshake(Stream& stream, std::chrono::milliseconds timeout) noexcept;

}  // namespace nt::net
