#include "net/broadcast_pipe.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace nt::net {

namespace {
bool make_pipe(UniqueFd& read_end, UniqueFd& write_end) noexcept {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) return false;
  read_end = UniqueFd(fds[0]);
  write_end = UniqueFd(fds[1]);
  return true;
}

// The pipe's size: 1 MiB when allowed (an unprivileged user past fs.pipe-user-pages-soft keeps less).
std::size_t grow(int pipe_fd) noexcept {
  (void)::fcntl(pipe_fd, F_SETPIPE_SZ, BroadcastPipe::kWantedCapacity);
  int size = ::fcntl(pipe_fd, F_GETPIPE_SZ);
  return size > 0 ? static_cast<std::size_t>(size) : 0;
}
}  // namespace

bool BroadcastPipe::open_pipes() noexcept {
  if (!make_pipe(source_read_, source_write_) || !make_pipe(tee_read_, tee_write_)) return false;
  dev_null_ = UniqueFd(::open("/dev/null", O_WRONLY | O_CLOEXEC));
  capacity_ = std::min(grow(source_read_.get()), grow(tee_read_.get()));
  return dev_null_.valid() && capacity_ > 0;
}

bool BroadcastPipe::discard(int pipe_read_end, std::size_t bytes) noexcept {
  while (bytes > 0) {
    ssize_t n = ::splice(pipe_read_end, nullptr, dev_null_.get(), nullptr, bytes, SPLICE_F_NONBLOCK);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes -= static_cast<std::size_t>(n);
  }
  return true;
}

void BroadcastPipe::unload() noexcept {
  if (loaded_ && !discard(source_read_.get(), loaded_->size())) broken_ = true;
  loaded_.reset();
}

bool BroadcastPipe::offer(const Chunk& chunk) noexcept {
  if (chunk == loaded_) return chunk != nullptr;
  if (broken_ || !chunk || chunk->size() < kMinBytes) return false;
  if (capacity_ == 0 && !open_pipes()) {
    broken_ = true;
    return false;
  }
  unload();
  if (broken_ || chunk->size() > capacity_) return false;
  ssize_t n = ::write(source_write_.get(), chunk->data(), chunk->size());
  if (n != static_cast<ssize_t>(chunk->size())) {
    // A short write leaves bytes that belong to no chunk: drain them, or give the pipe up.
    if (n > 0 && !discard(source_read_.get(), static_cast<std::size_t>(n))) broken_ = true;
    return false;
  }
  loaded_ = chunk;
  return true;
}

std::optional<IoResult> BroadcastPipe::send_to(int socket_fd) noexcept {
  const std::size_t size = loaded_ ? loaded_->size() : 0;
  ssize_t copied = ::tee(source_read_.get(), tee_write_.get(), size, SPLICE_F_NONBLOCK);
  if (copied != static_cast<ssize_t>(size)) {
    if (copied > 0 && !discard(tee_read_.get(), static_cast<std::size_t>(copied))) broken_ = true;
    return std::nullopt;
  }
  ssize_t sent;
  do {
    sent = ::splice(tee_read_.get(), nullptr, socket_fd, nullptr, size, SPLICE_F_NONBLOCK | SPLICE_F_MOVE);
  } while (sent < 0 && errno == EINTR);
  int err = sent < 0 ? errno : 0;
  std::size_t taken = sent > 0 ? static_cast<std::size_t>(sent) : 0;
  if (taken < size && !discard(tee_read_.get(), size - taken)) broken_ = true;
  if (err == EAGAIN) return IoResult{IoResult::Status::want_write, 0, 0};
  if (err != 0) return IoResult::failed(err);
  return IoResult::moved(taken);
}

}  // namespace nt::net
