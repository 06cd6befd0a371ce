#include "subcommands/tcp_echo/load_engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <chrono>

#include "subcommands/tcp_echo/client.hpp"
#include "subcommands/tcp_echo/records.hpp"

namespace nt::tcp_echo {

struct LoadEngine::Conn {
  std::unique_ptr<net::Stream> stream;
  std::size_t index = 0;
  uint64_t phase = 0;
  uint64_t sent = 0;      // stream offset of the next byte to send
  uint64_t received = 0;  // stream offset of the next byte expected back (all before it verified)
  uint64_t messages_started = 0;
  uint64_t messages_done = 0;
  std::vector<event::TimePoint> send_times;  // ring of `pipeline` entries: when message m started
  bool writing = false;  // sending is blocked: the socket buffer was full (or, TLS, input is needed)
  uint32_t write_waits = EPOLLOUT;
  uint32_t read_waits = EPOLLIN;  // EPOLLOUT when a TLS read must first write
  uint32_t interest = EPOLLIN;
  bool live() const noexcept { return stream != nullptr; }
  int fd() const noexcept { return stream->fd(); }
};

LoadEngine::LoadEngine(const LoadConfig& cfg, output::Output& out)
    : cfg_(cfg), out_(out), loop_(true), pattern_(0x5EED1E55CAFEF00Dull), scratch_(Pattern::kMaxChunk) {}

LoadEngine::~LoadEngine() = default;

void LoadEngine::add_connection(std::unique_ptr<net::Stream> stream) {
  auto c = std::make_unique<Conn>();
  c->stream = std::move(stream);
  c->index = conns_.size();
  c->phase = Pattern::phase_of(c->index);
  c->send_times.resize(static_cast<std::size_t>(cfg_.pipeline));
  conns_.push_back(std::move(c));
}

LoadResult LoadEngine::run() {
  started_ = last_tick_ = loop_.now();
  for (auto& owned : conns_) {
    Conn& c = *owned;
    loop_.add(c.fd(), EPOLLIN, [this, &c](uint32_t events) { on_io(c, events); });
    ++live_;
  }
  for (auto& c : conns_) {
    if (c->live()) pump_send(*c);
  }
  if (!bulk()) loop_.add_timer(cfg_.duration, [this] { loop_.stop(); });
  loop_.add_timer(std::chrono::seconds(1), [this] { on_tick(); });
  loop_.on_signal([this](int) {
    result_.interrupted = true;
    loop_.stop();
  });
  if (live_ > 0) loop_.run();
  result_.duration_s = sys::to_seconds(loop_.now() - started_);
  for (auto& c : conns_) {
    if (c->live()) retire(*c);
  }
  return std::move(result_);
}

void LoadEngine::on_io(Conn& c, uint32_t events) {
  if (events & (c.read_waits | EPOLLHUP | EPOLLERR)) receive(c);
  if (c.live() && c.writing && (events & c.write_waits)) pump_send(c);
  if (c.live()) update_interest(c);
}

void LoadEngine::update_interest(Conn& c) {
  uint32_t want = c.read_waits | (c.writing ? c.write_waits : 0);
  if (want == c.interest) return;
  c.interest = want;
  loop_.modify(c.fd(), want);
}

// --bench keeps `pipeline` messages in flight; --bulk sends everything, as fast as the socket takes it.
uint64_t LoadEngine::send_target(const Conn& c) const noexcept {
  if (bulk()) return cfg_.bulk_bytes;
  return (c.messages_done + static_cast<uint64_t>(cfg_.pipeline)) * cfg_.size;
}

void LoadEngine::pump_send(Conn& c) {
  uint64_t target = send_target(c);
  event::TimePoint now = loop_.now();
  bool blocked = false;
  while (c.sent < target) {
    std::size_t want = static_cast<std::size_t>(std::min<uint64_t>(target - c.sent, cfg_.size));
    net::IoResult r = c.stream->write(pattern_.chunk(c.phase, c.sent, want));
    if (r.would_block()) {
      blocked = true;
      c.write_waits = r.status == net::IoResult::Status::want_read ? EPOLLIN : EPOLLOUT;
      break;
    }
    if (!r.ok())
      return fail(c, false, fmt::format("sending at offset {}: {}", c.sent, stream_error(*c.stream, r)));
    c.sent += r.bytes;
    if (bulk()) continue;
    for (; c.messages_started * cfg_.size < c.sent; ++c.messages_started) {
      c.send_times[c.messages_started % c.send_times.size()] = now;
    }
  }
  c.writing = blocked;
  update_interest(c);
}

// Reads once, and again while a TLS stream holds decrypted bytes epoll cannot see.
void LoadEngine::receive(Conn& c) {
  do {
    net::IoResult r = c.stream->read(scratch_);
    if (r.would_block()) {
      c.read_waits = r.status == net::IoResult::Status::want_write ? EPOLLOUT : EPOLLIN;
      return;
    }
    c.read_waits = EPOLLIN;
    if (r.status == net::IoResult::Status::eof)
      return fail(c, false, fmt::format("server closed the connection at offset {}", c.received));
    if (!r.ok())
      return fail(c, false, fmt::format("at offset {}: {}", c.received, stream_error(*c.stream, r)));
    take_echo(c, std::span(scratch_).first(r.bytes));
  } while (c.live() && c.stream->buffered() > 0);
}

void LoadEngine::take_echo(Conn& c, std::span<const std::byte> got) {
  uint64_t expected = std::min<uint64_t>(got.size(), c.sent - c.received);
  if (auto bad = pattern_.verify(c.phase, c.received, got.first(static_cast<std::size_t>(expected)))) {
    return fail(c, true,
                fmt::format("echo mismatch at offset {}: sent 0x{:02x}, received 0x{:02x}", *bad,
                            static_cast<unsigned>(pattern_.at(c.phase, *bad)),
                            static_cast<unsigned>(got[static_cast<std::size_t>(*bad - c.received)])));
  }
  if (expected < got.size()) {
    return fail(c, true,
                fmt::format("echo mismatch at offset {}: the server sent more than it was sent", c.sent));
  }
  c.received += got.size();
  if (!bulk()) return account_messages(c);
  result_.bytes += got.size();
  tick_bytes_ += got.size();
  if (c.received < cfg_.bulk_bytes) return pump_send(c);
  retire(c);
  if (live_ == 0) loop_.stop();
}

void LoadEngine::account_messages(Conn& c) {
  event::TimePoint now = loop_.now();
  uint64_t done_before = c.messages_done;
  while ((c.messages_done + 1) * cfg_.size <= c.received) {
    auto started = c.send_times[c.messages_done % c.send_times.size()];
    auto ns =
        static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(now - started).count());
    result_.rtt.add_ns(ns);
    tick_rtt_.add_ns(ns);
    ++c.messages_done;
  }
  uint64_t done = c.messages_done - done_before;
  result_.round_trips += done;
  tick_round_trips_ += done;
  result_.bytes += done * cfg_.size;
  tick_bytes_ += done * cfg_.size;
  if (done > 0) pump_send(c);
}

void LoadEngine::fail(Conn& c, bool mismatch, const std::string& why) {
  ++(mismatch ? result_.mismatches : result_.errors);
  if (result_.first_failure.empty())
    result_.first_failure = fmt::format("connection {}: {}", c.index + 1, why);
  retire(c);
  if (live_ == 0) loop_.stop();
}

void LoadEngine::retire(Conn& c) {
  loop_.remove(c.fd());
  c.stream.reset();
  --live_;
}

void LoadEngine::on_tick() {
  event::TimePoint now = loop_.now();
  IntervalEvent ev;
  ev.elapsed_s = sys::to_seconds(now - started_);
  ev.interval_s = sys::to_seconds(now - last_tick_);
  ev.round_trips = tick_round_trips_;
  ev.bytes = tick_bytes_;
  ev.errors = result_.errors + result_.mismatches;
  ev.rtt = bulk() ? nullptr : &tick_rtt_;
  out_.emit(ev.to_record());
  tick_rtt_.clear();
  tick_round_trips_ = tick_bytes_ = 0;
  last_tick_ = now;
  loop_.add_timer(last_tick_ + std::chrono::seconds(1), [this] { on_tick(); });
}

}  // namespace nt::tcp_echo
