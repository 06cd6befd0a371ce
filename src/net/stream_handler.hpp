// The protocol side of the stream server: a handler sees each connection open, its data, its output
// drained, and its close; it answers through ServerConnection (queue output, close with a reason).
// One handler per event loop; every call for a connection comes on that loop's thread, so a handler
// may keep plain (unlocked) state and write to any other connection of its own loop (chat broadcast).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "event/loop.hpp"
#include "net/address.hpp"
#include "net/stream.hpp"

namespace nt::net {

class ServerLoop;

class ServerConnection {
 public:
  uint64_t id() const noexcept { return id_; }
  const SocketAddress& peer() const noexcept { return peer_; }
  const std::string& peer_text() const noexcept { return peer_text_; }
  event::TimePoint started() const noexcept { return started_; }
  uint64_t bytes_in() const noexcept { return bytes_in_; }
  uint64_t bytes_out() const noexcept { return bytes_out_; }
  Stream& stream() noexcept { return *stream_; }
  event::EventLoop& loop() noexcept;
  // Connections the whole server (every loop) has open now.
  std::size_t server_active() const noexcept;

  // Sends now what the socket takes and queues the rest (flushed on EPOLLOUT). While anything is
  // queued the server does not read from this peer (backpressure). Past the server's max_queued bytes
  // the connection is closed ("slow_reader") and false returned; false too once it is closing.
  bool write(std::span<const std::byte> data);
  // The same for a shared chunk: what the socket does not take is queued by reference, never copied,
  // so a line broadcast to many peers is serialised once and held once. The chunk must not change.
  using Chunk = std::shared_ptr<const std::string>;
  bool write(Chunk chunk);
  std::size_t queued() const noexcept { return queued_; }
  // Forgets queued output that has not started to go out (a chunk partly sent stays, so the peer
  // never sees half of one): a handler dropping a slow reader can still queue its last words.
  // Returns the bytes forgotten.
  std::size_t drop_queued() noexcept;

  // Closes after the queued output is flushed (bounded by the idle timeout); `abort` closes at once.
  // Both take effect after the current callback returns: a handler may call them on any connection
  // of its loop, also while iterating its own list of connections.
  void close(std::string_view reason);
  void abort(std::string_view reason);
  bool closing() const noexcept { return closing_ || doomed_; }

  // For the handler's per-connection state; the server never touches it.
  void* user = nullptr;

 private:
  friend class ServerLoop;
  ServerConnection() = default;

  ServerLoop* owner_ = nullptr;
  std::unique_ptr<Stream> stream_;
  uint64_t id_ = 0;
  SocketAddress peer_;
  std::string peer_text_;
  std::string ip_key_;  // the peer's IP for max_per_ip; empty when not counted
  event::TimePoint started_{};
  event::TimePoint last_progress_{};
  uint64_t bytes_in_ = 0;
  uint64_t bytes_out_ = 0;
  std::vector<Chunk> out_;  // queued output: out_[out_head_] from byte out_off_, then the rest
  std::size_t out_head_ = 0;
  std::size_t out_off_ = 0;
  std::size_t queued_ = 0;           // bytes in out_ not sent yet
  std::string* own_tail_ = nullptr;  // out_.back() when only we hold it: copied writes append to it
  std::string close_reason_;
  event::EventLoop::TimerId idle_timer_ = 0;
  event::EventLoop::TimerId handshake_timer_ = 0;
  uint32_t interest_ = 0;    // the events registered with the loop
  bool handshaking_ = true;  // handshake() not finished: the handler has not seen it yet
  bool handshake_on_write_ = false;
  bool read_on_write_ = false;  // the last read said want_write (TLS)
  bool write_on_read_ = false;  // the last write said want_read (TLS)
  bool closing_ = false;        // flush, then close
  bool doomed_ = false;         // close at the end of the current callback
};

class StreamHandler {
 public:
  virtual ~StreamHandler() = default;
  virtual void on_open(ServerConnection& /*conn*/) {}
  // `data` is valid during the call only.
  virtual void on_data(ServerConnection& conn, std::span<const std::byte> data) = 0;
  // Everything queued has been sent (reading resumes).
  virtual void on_drained(ServerConnection& /*conn*/) {}
  // After on_open only. reason: eof, reset, error, idle_timeout, slow_reader, shutdown, or the handler's.
  virtual void on_close(ServerConnection& /*conn*/, std::string_view /*reason*/) {}
  // A graceful stop is closing it: last words may be written (sent if the socket takes them now).
  virtual void on_shutdown(ServerConnection& /*conn*/) {}
  // Turned away before on_open: max_clients, max_per_ip, fd_limit. `active`: connections open now.
  virtual void on_refused(const SocketAddress& /*peer*/, std::string_view /*reason*/,
                          std::size_t /*active*/) {}
  // handshake() failed or timed out before on_open (a TLS client speaking garbage, a plaintext peer).
  virtual void on_handshake_failed(const SocketAddress& /*peer*/, std::string_view /*why*/) {}
};

}  // namespace nt::net
