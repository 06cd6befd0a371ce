// The output half of a stream server loop: a queue of chunks per connection. Copied writes go into a
// chunk only this connection holds (later copies append to it); shared chunks (a chat broadcast) are
// queued by reference. A flush hands up to SocketStream::kMaxGather chunks to one gather write.
#include <algorithm>
#include <array>
#include <optional>

#include "net/server_loop.hpp"

namespace nt::net {

namespace {
constexpr std::size_t kKeepChunks = 64;  // an emptied queue keeps at most this many slots
}  // namespace

std::size_t ServerConnection::drop_queued() noexcept {
  std::size_t keep = out_off_ > 0 ? 1 : 0;  // the chunk partly sent goes out whole
  std::size_t kept_bytes = keep ? out_[out_head_]->size() - out_off_ : 0;
  std::size_t dropped = queued_ - kept_bytes;
  if (!keep) {
    owner_->clear_queue(*this);
    return dropped;
  }
  std::string* head_owned = out_[out_head_].get() == own_tail_ ? own_tail_ : nullptr;
  out_.resize(out_head_ + 1);
  own_tail_ = head_owned;
  queued_ = kept_bytes;
  return dropped;
}

// A large shared chunk goes out through the loop's broadcast pipe (no copy per recipient); what the
// socket does not take is queued as usual.
std::optional<IoResult> ServerLoop::splice_shared(Conn& c, const Conn::Chunk* shared) {
  if (shared == nullptr || c.queued() > 0 || !c.stream_->passes_bytes_through()) return std::nullopt;
  if (!broadcast_pipe_.offer(*shared)) return std::nullopt;
  return broadcast_pipe_.send_to(c.stream_->fd());
}

bool ServerLoop::send_or_queue(Conn& c, std::span<const std::byte> data, const Conn::Chunk* shared) {
  std::size_t sent = 0;
  if (auto r = splice_shared(c, shared)) {
    if (!r->ok() && !r->would_block()) {
      doom(c, reason_of(r->error));
      return false;
    }
    c.bytes_out_ += r->bytes;
    sent = r->bytes;
  }
  while (c.queued() == 0 && sent < data.size()) {
    IoResult r = c.stream_->write(data.subspan(sent));
    if (r.ok()) {
      c.bytes_out_ += r.bytes;
      sent += r.bytes;
      continue;
    }
    if (!r.would_block()) {
      doom(c, reason_of(r.error));
      return false;
    }
    c.write_on_read_ = r.status == IoResult::Status::want_read;
    break;
  }
  if (sent == data.size()) return true;
  if (c.queued() + (data.size() - sent) > shared_.config.max_queued) {
    doom(c, "slow_reader");
    return false;
  }
  enqueue(c, data.subspan(sent), sent > 0, shared);
  update_interest(c);
  return true;
}

// `rest` is what the socket did not take; `partly_sent`: the bytes before it went out (the queue was
// empty, so this chunk becomes the head with an offset).
void ServerLoop::enqueue(Conn& c, std::span<const std::byte> rest, bool partly_sent,
                         const Conn::Chunk* shared) {
  if (shared != nullptr) {
    c.out_.push_back(*shared);
    if (partly_sent) c.out_off_ = (*shared)->size() - rest.size();
    c.own_tail_ = nullptr;
  } else if (c.own_tail_ != nullptr) {
    c.own_tail_->append(reinterpret_cast<const char*>(rest.data()), rest.size());
  } else {
    auto owned = std::make_shared<std::string>(reinterpret_cast<const char*>(rest.data()), rest.size());
    c.own_tail_ = owned.get();
    c.out_.push_back(std::move(owned));
  }
  c.queued_ += rest.size();
}

void ServerLoop::consume(Conn& c, std::size_t bytes) {
  c.bytes_out_ += bytes;
  c.queued_ -= bytes;
  while (bytes > 0) {
    std::size_t left = c.out_[c.out_head_]->size() - c.out_off_;
    if (bytes < left) {
      c.out_off_ += bytes;
      return;
    }
    bytes -= left;
    if (c.out_[c.out_head_].get() == c.own_tail_) c.own_tail_ = nullptr;
    c.out_[c.out_head_++].reset();  // a broadcast chunk is freed by its last recipient
    c.out_off_ = 0;
  }
}

void ServerLoop::clear_queue(Conn& c) {
  c.out_.clear();
  if (c.out_.capacity() > kKeepChunks) std::vector<Conn::Chunk>().swap(c.out_);
  c.out_head_ = c.out_off_ = c.queued_ = 0;
  c.own_tail_ = nullptr;
}

void ServerLoop::flush(Conn& c) {
  std::array<std::span<const std::byte>, SocketStream::kMaxGather> bufs;
  while (c.queued() > 0) {
    std::size_t n = 0;
    for (std::size_t i = c.out_head_; i < c.out_.size() && n < bufs.size(); ++i, ++n) {
      const std::string& s = *c.out_[i];
      std::size_t off = i == c.out_head_ ? c.out_off_ : 0;
      bufs[n] = std::as_bytes(std::span(s.data() + off, s.size() - off));
    }
    IoResult r = c.stream_->write_gather(std::span(bufs.data(), n));
    if (r.ok()) {
      consume(c, r.bytes);
      continue;
    }
    if (r.would_block()) {
      c.write_on_read_ = r.status == IoResult::Status::want_read;
      return;
    }
    return doom(c, reason_of(r.error));
  }
  c.write_on_read_ = false;
  // A stalled peer's queue is given back once it drained: 10,000 peers that each stalled once would
  // otherwise keep their slots.
  clear_queue(c);
  c.last_progress_ = loop_.now();
  if (c.closing_) return doom(c, c.close_reason_);
  handler_.on_drained(c);
}

}  // namespace nt::net
