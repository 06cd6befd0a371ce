// Fan-out without a copy per recipient: a broadcast chunk is written once into a pipe, then for each
// recipient tee(2)d into a second pipe (page references, no copy) and splice(2)d into its socket, where
// TCP takes the pages by reference (MSG_SPLICE_PAGES, Linux 6.5; sendpage before). A chat line burst of
// 110 KB to 99 peers cost the sender 35 µs per peer with send(2) and 13 µs with this (tests/bench
// chat-server.sh measures the server). Below kMinBytes the two extra syscalls cost more than the copy.
//
// Safe against the "dirty pipe" class of bug by construction: the source pipe is emptied before each
// load, so a write never lands in a page a socket or the second pipe still references.
#pragma once
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "net/fd.hpp"
#include "net/stream.hpp"

namespace nt::net {

class BroadcastPipe {
 public:
  using Chunk = std::shared_ptr<const std::string>;
  static constexpr std::size_t kMinBytes = 16 * 1024;
  static constexpr int kWantedCapacity = 1 << 20;  // fs.pipe-max-size's default

  // Makes `chunk` the pipe's content unless it already is; false when it is too small to gain, too
  // large for the pipe, or the pipes could not be made (then every later offer is refused too).
  bool offer(const Chunk& chunk) noexcept;
  // Sends the loaded chunk from its first byte into `socket_fd`, which must be non-blocking: ok with
  // the bytes the socket took (maybe fewer than the chunk), would-block, or the socket's error;
  // nullopt when the pipe failed and nothing was sent (write the chunk the ordinary way).
  std::optional<IoResult> send_to(int socket_fd) noexcept;

 private:
  bool open_pipes() noexcept;
  void unload() noexcept;
  bool discard(int pipe_read_end, std::size_t bytes) noexcept;

  UniqueFd source_read_, source_write_;  // holds the chunk until the next one
  UniqueFd tee_read_, tee_write_;        // empty between sends
  UniqueFd dev_null_;
  std::size_t capacity_ = 0;
  bool broken_ = false;
  Chunk loaded_;  // kept alive so its address is not reused by another chunk while loaded
};

}  // namespace nt::net
