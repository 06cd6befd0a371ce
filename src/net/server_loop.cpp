// The connection half of a stream server loop: handshake, reads handed to the handler, output sent
// or queued (backpressure), idle timers, and closing after the current callback.
#include "net/server_loop.hpp"

#include <cerrno>
#include <utility>

namespace nt::net {

namespace {
constexpr int kRoundsPerWakeup = 4;  // full reads handled per readiness event

}  // namespace

std::string reason_of(int err) {
  return err == ECONNRESET || err == EPIPE || err == ETIMEDOUT ? "reset" : "error";
}

event::EventLoop& ServerConnection::loop() noexcept {
  return owner_->loop_;
}

std::size_t ServerConnection::server_active() const noexcept {
  return owner_->shared_.active.load(std::memory_order_relaxed);
}

bool ServerConnection::write(std::span<const std::byte> data) {
  if (closing()) return false;
  return owner_->send_or_queue(*this, data, nullptr);
}

bool ServerConnection::write(Chunk chunk) {
  if (closing() || !chunk) return false;
  return owner_->send_or_queue(*this, std::as_bytes(std::span(chunk->data(), chunk->size())), &chunk);
}

void ServerConnection::close(std::string_view reason) {
  if (closing()) return;
  if (queued() == 0) return owner_->doom(*this, reason);
  closing_ = true;
  close_reason_ = reason;
  owner_->update_interest(*this);
}

void ServerConnection::abort(std::string_view reason) {
  owner_->doom(*this, reason);
}

ServerLoop::ServerLoop(ServerShared& shared, StreamHandler& handler, int listener, bool watch_signals,
                       bool exclusive_accept)
    : shared_(shared), handler_(handler), loop_(watch_signals), listener_(listener), scratch_(kReadChunk) {
  // EPOLLEXCLUSIVE: several loops sharing one listener would otherwise all wake for each client.
  uint32_t events = EPOLLIN | (exclusive_accept ? uint32_t{EPOLLEXCLUSIVE} : 0u);
  loop_.add(listener_, events, [this](uint32_t) { on_listener_ready(); });
}

ServerLoop::~ServerLoop() = default;

void ServerLoop::on_io(Conn& c) {
  ++depth_;
  if (c.handshaking_) {
    continue_handshake(c);
  } else {
    if (c.queued() > 0) flush(c);
    read_some(c);
  }
  update_interest(c);
  if (--depth_ == 0 && !doomed_.empty()) reap();
}

void ServerLoop::continue_handshake(Conn& c) {
  IoResult r = c.stream_->handshake();
  if (r.ok()) {
    c.handshaking_ = false;
    if (c.handshake_timer_ != 0) loop_.cancel_timer(std::exchange(c.handshake_timer_, 0));
    return open(c);
  }
  if (r.would_block()) {
    c.handshake_on_write_ = r.status == IoResult::Status::want_write;
    if (c.handshake_timer_ == 0 && shared_.config.handshake_timeout.count() > 0) {
      c.handshake_timer_ = loop_.add_timer(shared_.config.handshake_timeout, [this, &c] {
        c.handshake_timer_ = 0;
        ++depth_;
        doom(c, "handshake timed out");
        if (--depth_ == 0) reap();
      });
    }
    return update_interest(c);
  }
  doom(c, c.stream_->error_text());
}

void ServerLoop::open(Conn& c) {
  ++totals_.connections;
  c.last_progress_ = loop_.now();
  handler_.on_open(c);
  // Data that came with the handshake is already inside the stream, where epoll cannot see it.
  if (c.stream_->buffered() > 0) read_some(c);
  update_interest(c);
}

void ServerLoop::read_some(Conn& c) {
  // A full read means more is probably waiting: take a few more rounds now, saving an epoll_wait each
  // (bulk streams), but not so many that one connection starves the others. Bytes a TLS stream holds
  // decrypted (at most one record) are always taken: epoll would not report them.
  for (int round = 0; round < kRoundsPerWakeup || c.stream_->buffered() > 0; ++round) {
    if (c.queued() > 0 || c.closing()) return;  // backpressure: the peer must take its output first
    IoResult r = c.stream_->read(scratch_);
    if (r.ok() && r.bytes > 0) {
      c.read_on_write_ = false;
      c.bytes_in_ += r.bytes;
      c.last_progress_ = loop_.now();
      handler_.on_data(c, std::span(scratch_).first(r.bytes));
      if (r.bytes < scratch_.size() && c.stream_->buffered() == 0) return;
      continue;
    }
    if (r.would_block()) {
      c.read_on_write_ = r.status == IoResult::Status::want_write;
      return;
    }
    if (r.status == IoResult::Status::eof) return c.close("eof");
    return doom(c, reason_of(r.error));
  }
}

void ServerLoop::update_interest(Conn& c) {
  if (c.doomed_) return;
  uint32_t want = 0;
  if (c.handshaking_) {
    want = c.handshake_on_write_ ? EPOLLOUT : EPOLLIN;
  } else if (c.queued() > 0) {
    want = c.write_on_read_ ? EPOLLIN : EPOLLOUT;  // not reading meanwhile: backpressure
  } else {
    want = c.read_on_write_ ? EPOLLOUT : EPOLLIN;
  }
  if (want == c.interest_) return;
  c.interest_ = want;
  loop_.modify(c.stream_->fd(), want);
}

// One timer per connection, re-armed lazily: progress only stamps last_progress_ (no timer work per
// byte). Progress is input read or the output queue emptied, so a peer that takes its output a byte
// at a time cannot hold a stuck connection open past one timeout.
void ServerLoop::on_idle_timer(Conn& c) {
  c.idle_timer_ = 0;
  event::TimePoint deadline = c.last_progress_ + shared_.config.idle_timeout;
  if (loop_.now() < deadline) {
    c.idle_timer_ = loop_.add_timer(deadline, [this, &c] { on_idle_timer(c); });
    return;
  }
  ++totals_.idle_timeouts;
  ++depth_;
  doom(c, "idle_timeout");
  if (--depth_ == 0) reap();
}

void ServerLoop::doom(Conn& c, std::string_view reason) {
  if (c.doomed_) return;
  c.doomed_ = true;
  c.close_reason_ = reason;
  doomed_.push_back(&c);
  if (depth_ == 0) schedule_reap();
}

void ServerLoop::schedule_reap() {
  if (reap_scheduled_) return;
  reap_scheduled_ = true;
  loop_.add_timer(event::Duration(0), [this] {
    reap_scheduled_ = false;
    reap();
  });
}

void ServerLoop::reap() {
  ++depth_;  // on_close may close others: they join this round
  while (!doomed_.empty()) {
    std::vector<Conn*> batch;
    batch.swap(doomed_);
    for (Conn* c : batch) finish(*c);
  }
  --depth_;
}

void ServerLoop::finish(Conn& c) {
  if (c.idle_timer_ != 0) loop_.cancel_timer(c.idle_timer_);
  if (c.handshake_timer_ != 0) loop_.cancel_timer(c.handshake_timer_);
  loop_.remove(c.stream_->fd());
  release_slot(c.ip_key_);
  totals_.bytes_in += c.bytes_in_;
  totals_.bytes_out += c.bytes_out_;
  if (c.handshaking_) {
    handler_.on_handshake_failed(c.peer_, c.close_reason_);
  } else {
    handler_.on_close(c, c.close_reason_);
    // One non-blocking try: TLS sends close_notify, so the peer can tell our end from a truncation
    // (RFC 8446 §6.1); after a reset or a TLS failure it fails at once, harmlessly.
    (void)c.stream_->shutdown_write();
  }
  conns_.erase(&c);  // closes the socket
}

void ServerLoop::shutdown_all() {
  ++depth_;
  for (auto& [key, c] : conns_) {
    if (!c->handshaking_ && !c->closing()) handler_.on_shutdown(*c);
  }
  for (auto& [key, c] : conns_) {
    if (c->queued() > 0 && !c->doomed_) flush(*c);  // last words, if the socket takes them now
    doom(*c, "shutdown");
  }
  --depth_;
  reap();
}

}  // namespace nt::net
