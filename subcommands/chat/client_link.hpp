// One connection to the chat server inside the event loop: a stream (plain or TLS) that sends queued
// lines as the socket takes them and hands back complete lines as they arrive, with bounded memory both
// ways (lines longer than kMaxServerLine are skipped; the caller stops queueing past kMaxQueued).
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "event/loop.hpp"
#include "net/stream.hpp"
#include "subcommands/chat/line_splitter.hpp"

namespace nt::chat {

// A user_list of 10,000 names of 32 characters is ~330 KB: lines up to 1 MiB are accepted.
inline constexpr std::size_t kMaxServerLine = 1 << 20;
inline constexpr std::size_t kMaxQueued = 1 << 20;

class ServerLink {
 public:
  struct Handlers {
    std::function<void(std::string_view line)> on_line;
    std::function<void()> on_overlong;
    std::function<void(const std::string& reason)> on_closed;  // once; the link is dead afterwards
  };

  ServerLink(event::EventLoop& loop, std::unique_ptr<net::Stream> stream, Handlers handlers);
  ~ServerLink();
  ServerLink(const ServerLink&) = delete;
  ServerLink& operator=(const ServerLink&) = delete;

  // Queues one line (with its '\n') and sends what the socket takes now, unless held.
  void send(std::string_view line);
  // Between hold() and release(), send() only queues: a chunk of stdin lines goes out in one write
  // instead of one write and one epoll_ctl per line (200,000 lines were 100,000+ syscalls).
  void hold() noexcept { held_ = true; }
  void release();
  std::size_t queued() const noexcept { return out_.size() - out_sent_; }
  bool open() const noexcept { return open_; }
  // Sends what is queued (bounded by `timeout`), then closes the stream. No callback follows.
  void close_gracefully(std::chrono::milliseconds timeout) noexcept;

 private:
  void on_ready(uint32_t events);
  void receive();
  void flush();
  void rearm();
  void fail(const std::string& reason);

  event::EventLoop& loop_;
  std::unique_ptr<net::Stream> stream_;
  Handlers handlers_;
  LineSplitter splitter_{kMaxServerLine};
  std::vector<std::byte> buffer_;
  std::string out_;
  std::size_t out_sent_ = 0;
  bool open_ = true;
  bool held_ = false;
  // What the stream last waited for: a TLS read may need writability, a TLS write readability.
  uint32_t read_waits_ = EPOLLIN, write_waits_ = EPOLLOUT;
};

}  // namespace nt::chat
