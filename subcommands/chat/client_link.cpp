#include "subcommands/chat/client_link.hpp"

#include <cerrno>
#include <cstring>

namespace nt::chat {

namespace {
constexpr std::size_t kReadChunk = 64 * 1024;

uint32_t waits_of(const net::IoResult& r) {
  return r.status == net::IoResult::Status::want_write ? EPOLLOUT : EPOLLIN;
}
}  // namespace

ServerLink::ServerLink(event::EventLoop& loop, std::unique_ptr<net::Stream> stream, Handlers handlers)
    : loop_(loop), stream_(std::move(stream)), handlers_(std::move(handlers)), buffer_(kReadChunk) {
  loop_.add(stream_->fd(), EPOLLIN, [this](uint32_t events) { on_ready(events); });
}

ServerLink::~ServerLink() {
  if (stream_ && loop_.watching(stream_->fd())) loop_.remove(stream_->fd());
}

void ServerLink::send(std::string_view line) {
  if (!open_) return;
  if (out_sent_ == out_.size()) {
    out_.clear();
    out_sent_ = 0;
  }
  out_ += line;
  if (!held_) flush();
}

void ServerLink::release() {
  held_ = false;
  if (open_ && queued() > 0) flush();
}

void ServerLink::on_ready(uint32_t events) {
  if (events & (EPOLLERR | EPOLLHUP)) events |= read_waits_ | write_waits_;  // let the calls say why
  if (open_ && (events & write_waits_) && queued() > 0) flush();
  if (open_ && (events & read_waits_)) receive();
}

// Reads until the stream would block: a TLS stream may hold decrypted bytes epoll cannot see.
void ServerLink::receive() {
  for (int round = 0; round < 64 && open_; ++round) {
    net::IoResult r = stream_->read(buffer_);
    if (r.would_block()) {
      read_waits_ = waits_of(r);
      return rearm();
    }
    if (r.status == net::IoResult::Status::eof) return fail("closed by the server");
    if (!r.ok()) return fail(stream_->error_text());
    splitter_.feed(std::span(buffer_).first(r.bytes), handlers_.on_line, handlers_.on_overlong);
  }
  rearm();  // more may be waiting: level-triggered epoll (or the TLS buffer) brings us back
}

void ServerLink::flush() {
  while (open_ && queued() > 0) {
    auto pending = std::as_bytes(std::span(out_)).subspan(out_sent_);
    net::IoResult r = stream_->write(pending);
    if (r.would_block()) {
      write_waits_ = waits_of(r);
      break;
    }
    if (!r.ok()) return fail(stream_->error_text());
    out_sent_ += r.bytes;
  }
  if (open_) rearm();
}

void ServerLink::rearm() {
  uint32_t events = read_waits_ | (queued() > 0 ? write_waits_ : 0);
  loop_.modify(stream_->fd(), events);
}

void ServerLink::fail(const std::string& reason) {
  if (!open_) return;
  open_ = false;
  loop_.remove(stream_->fd());
  if (handlers_.on_closed) handlers_.on_closed(reason);
}

void ServerLink::close_gracefully(std::chrono::milliseconds timeout) noexcept {
  if (!open_) return;
  open_ = false;
  loop_.remove(stream_->fd());
  auto deadline = sys::MonoClock::now() + timeout;
  while (queued() > 0 && sys::MonoClock::now() < deadline) {
    net::IoResult r = stream_->write(std::as_bytes(std::span(out_)).subspan(out_sent_));
    if (r.would_block()) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - sys::MonoClock::now());
      if (net::wait_for(*stream_, r, left) <= 0) break;
      continue;
    }
    if (!r.ok()) break;
    out_sent_ += r.bytes;
  }
  net::IoResult r = stream_->shutdown_write();
  if (r.would_block()) (void)net::wait_for(*stream_, r, std::chrono::milliseconds(200));
}

}  // namespace nt::chat
