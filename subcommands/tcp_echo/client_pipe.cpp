// Pipe mode: stdin → server → stdout, checking that every echoed byte equals the byte sent at that offset.
// What was sent but not yet echoed waits in a fixed ring (kWindow); stdin is not read while it is full,
// so memory stays bounded for streams of any length.
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <vector>

#include "net/io.hpp"
#include "net/stream.hpp"
#include "subcommands/tcp_echo/client.hpp"
#include "subcommands/tcp_echo/records.hpp"
#include "sys/clock.hpp"
#include "sys/error.hpp"
#include "sys/signals.hpp"

namespace nt::tcp_echo {

namespace {

constexpr std::size_t kWindow = 1 << 20;
constexpr std::size_t kChunk = 64 * 1024;

void write_stdout(std::span<const std::byte> data) {
  while (!data.empty()) {
    ssize_t n = net::try_write(STDOUT_FILENO, data);
    if (n == -EAGAIN) {
      pollfd p{STDOUT_FILENO, POLLOUT, 0};
      (void)net::poll_fds({&p, 1}, -1);
      continue;
    }
    if (n < 0) throw std::system_error(static_cast<int>(-n), std::generic_category(), "writing to stdout");
    data = data.subspan(static_cast<std::size_t>(n));
  }
}

class PipeSession {
 public:
  PipeSession(net::Stream& stream, bool copy_to_stdout, std::chrono::milliseconds timeout)
      : stream_(stream), copy_(copy_to_stdout), timeout_(timeout), ring_(kWindow), scratch_(kChunk) {}

  // Returns false when a termination signal ended the session early.
  bool run();
  uint64_t written() const noexcept { return written_; }
  uint64_t verified() const noexcept { return verified_; }

 private:
  void read_stdin();
  void send_some();
  void receive_some();
  void on_server_eof();
  void check_echo(std::span<const std::byte> got);
  void half_close_when_done();
  bool finished() const noexcept { return stdin_eof_ && verified_ == written_; }
  short socket_events() const noexcept;

  net::Stream& stream_;
  bool copy_;
  std::chrono::milliseconds timeout_;
  std::vector<std::byte> ring_;  // stream offsets [verified_, written_)
  std::vector<std::byte> scratch_;
  uint64_t written_ = 0, sent_ = 0, verified_ = 0;
  bool stdin_eof_ = false, shut_down_ = false, server_eof_ = false;
  // What the last read / write waited for (a TLS read may wait for writability, a write for input).
  short read_waits_ = POLLIN, write_waits_ = POLLOUT;
};

short PipeSession::socket_events() const noexcept {
  return static_cast<short>(read_waits_ | (sent_ < written_ ? write_waits_ : 0));
}

bool PipeSession::run() {
  while (!server_eof_) {
    bool want_stdin = !stdin_eof_ && written_ - verified_ < kWindow;
    // Left out entirely (fd -1) when not wanted: a pipe whose writer has gone reports POLLHUP even
    // for events 0, which would spin this loop and keep the --timeout wait below from ever expiring.
    pollfd fds[3] = {
        {want_stdin ? STDIN_FILENO : -1, POLLIN, 0},
        {stream_.fd(), socket_events(), 0},
        {sys::termination_signal_fd(), POLLIN, 0},
    };
    // Once everything is echoed we only wait (bounded) for the server's EOF, to catch extra bytes.
    int wait_ms = finished() ? static_cast<int>(timeout_.count()) : -1;
    int n = net::poll_fds(fds, wait_ms);
    if (n == -EINTR) continue;
    if (n < 0) throw std::system_error(-n, std::generic_category(), "poll");
    if (n == 0) return true;  // all verified; the server just keeps the connection open
    if (fds[2].revents & POLLIN && sys::take_termination_signal() != 0) return false;
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) read_stdin();
    if (fds[1].revents & write_waits_) send_some();
    if (fds[1].revents & (read_waits_ | POLLHUP | POLLERR)) receive_some();
  }
  return true;
}

void PipeSession::read_stdin() {
  std::size_t start = written_ % kWindow;
  std::size_t room = std::min(kWindow - start, kWindow - static_cast<std::size_t>(written_ - verified_));
  ssize_t n = net::try_read(STDIN_FILENO, std::span(ring_).subspan(start, std::min(room, kChunk)));
  if (n == -EAGAIN) return;
  if (n < 0) throw std::system_error(static_cast<int>(-n), std::generic_category(), "reading stdin");
  if (n == 0) stdin_eof_ = true;
  written_ += static_cast<uint64_t>(n);
  if (n == 0) return half_close_when_done();
  send_some();
}

void PipeSession::send_some() {
  while (sent_ < written_) {
    std::size_t start = sent_ % kWindow;
    std::size_t len = std::min<uint64_t>(written_ - sent_, kWindow - start);
    net::IoResult r = stream_.write(std::span(ring_).subspan(start, len));
    if (r.would_block()) {
      write_waits_ = r.status == net::IoResult::Status::want_read ? POLLIN : POLLOUT;
      return;
    }
    if (!r.ok())
      throw Error(kExitNegative, fmt::format("sending at offset {}: {}", sent_, stream_error(stream_, r)));
    sent_ += r.bytes;
  }
  half_close_when_done();
}

// The FIN goes out only once everything sent has come back: servers such as socat's PIPE or ncat --exec
// drop the echo still in flight when they see the client's half-close.
void PipeSession::half_close_when_done() {
  if (!finished() || shut_down_) return;
  (void)stream_.shutdown_write();  // best effort: the server's EOF (or the timeout) ends the session
  shut_down_ = true;
}

// Reads until the stream would block: a TLS stream may hold decrypted bytes poll cannot see.
void PipeSession::receive_some() {
  for (;;) {
    net::IoResult r = stream_.read(scratch_);
    if (r.would_block()) {
      read_waits_ = r.status == net::IoResult::Status::want_write ? POLLOUT : POLLIN;
      return;
    }
    if (r.status == net::IoResult::Status::error) {
      throw Error(kExitNegative, fmt::format("connection failed at offset {} ({} of {} bytes echoed): {}",
                                             verified_, verified_, written_, stream_error(stream_, r)));
    }
    if (r.status == net::IoResult::Status::eof) return on_server_eof();
    check_echo(std::span(scratch_).first(r.bytes));
    if (stream_.buffered() == 0) return;
  }
}

void PipeSession::on_server_eof() {
  server_eof_ = true;
  if (!finished()) {
    throw Error(kExitNegative,
                fmt::format("server closed the connection early at offset {} ({} of {} bytes echoed{})",
                            verified_, verified_, written_, stdin_eof_ ? "" : ", stdin not done"));
  }
}

void PipeSession::check_echo(std::span<const std::byte> got) {
  std::size_t expected = std::min<uint64_t>(got.size(), sent_ - verified_);
  std::size_t done = 0;
  while (done < expected) {
    std::size_t start = (verified_ + done) % kWindow;
    std::size_t len = std::min(expected - done, kWindow - start);
    if (std::memcmp(&ring_[start], &got[done], len) != 0) {
      auto pair = std::mismatch(&ring_[start], &ring_[start] + len, &got[done]);
      uint64_t offset = verified_ + done + static_cast<uint64_t>(pair.first - &ring_[start]);
      throw Error(kExitNegative,
                  fmt::format("echo mismatch at offset {}: sent 0x{:02x}, received 0x{:02x}", offset,
                              static_cast<unsigned>(*pair.first), static_cast<unsigned>(*pair.second)));
    }
    done += len;
  }
  if (expected < got.size()) {
    throw Error(kExitNegative,
                fmt::format("echo mismatch at offset {}: the server sent more than it was sent", sent_));
  }
  if (copy_) write_stdout(got);
  verified_ += got.size();
  half_close_when_done();
}

}  // namespace

int run_pipe(const ClientOptions& /*opts*/, cli::Runtime& rt, const Target& target) {
  auto t0 = sys::MonoClock::now();
  ClientStream conn = net::connect_stream(target);
  if (auto rec = tls::client_tls_record(*conn.stream, conn.peer.to_string(), true))
    rt.out.emit(std::move(*rec));
  // Text mode: stdout is the data itself (text records go to stderr). Machine formats: stdout carries
  // records, so the echo is only checked.
  PipeSession session(*conn.stream, rt.out.claim_stdout_for_data(), target.timeout);
  session.run();
  rt.out.emit(PipeSummary{conn.peer.to_string(), session.written(), session.verified(),
                          sys::to_seconds(sys::MonoClock::now() - t0)}
                  .to_record());
  return kExitOk;
}

}  // namespace nt::tcp_echo
