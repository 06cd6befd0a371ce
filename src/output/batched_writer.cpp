#include "output/batched_writer.hpp"

#include <pthread.h>

#include <cerrno>
#include <csignal>
#include <system_error>

#include "sys/privileges.hpp"

namespace nt::output {

BatchedWriter::BatchedWriter(std::FILE* out, std::chrono::milliseconds max_delay)
    : out_(out), max_delay_(max_delay) {}

BatchedWriter::~BatchedWriter() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void BatchedWriter::write(std::string_view line) {
  std::unique_lock lock(mu_);
  if (error_) throw std::system_error(error_, std::generic_category(), "writing output");
  // A write that fails here (the buffer filled and its flush met EPIPE) is recorded with this
  // thread's errno: left on the stream, the flusher thread's next fflush would see only the error
  // flag, with its own errno 0, and call a reader that left (`| head`) an I/O error.
  errno = 0;
  if (std::fwrite(line.data(), 1, line.size(), out_) != line.size()) {
    error_ = errno ? errno : EIO;
    std::clearerr(out_);
    throw std::system_error(error_, std::generic_category(), "writing output");
  }
  const auto now = Clock::now();
  if (stop_ || (!dirty_ && now - last_flush_ >= max_delay_)) {
    flush_locked();  // the first line after a quiet spell (or after flush()): nobody should wait for it
    if (error_) throw std::system_error(error_, std::generic_category(), "writing output");
    return;
  }
  if (dirty_) return;
  dirty_ = true;
  dirty_since_ = now;
  if (!thread_.joinable()) {
    start_thread();
  } else {
    lock.unlock();
    wake_.notify_one();
  }
}

void BatchedWriter::flush() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    flush_locked();
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
  if (error_) throw std::system_error(error_, std::generic_category(), "writing output");
}

void BatchedWriter::flush_locked() {
  dirty_ = false;
  last_flush_ = Clock::now();
  if (error_) return;
  errno = 0;
  if (std::fflush(out_) != 0 || std::ferror(out_)) {
    error_ = errno ? errno : EIO;
    std::clearerr(out_);
  }
}

void BatchedWriter::flusher() {
  // This thread only writes to the stream: it holds no capability, whenever it was started.
  sys::drop_thread_capabilities();
  std::unique_lock lock(mu_);
  while (!stop_) {
    wake_.wait(lock, [this] { return dirty_ || stop_; });
    if (stop_) break;
    wake_.wait_until(lock, dirty_since_ + max_delay_, [this] { return stop_; });
    if (dirty_) flush_locked();
  }
}

// The thread starts with every signal blocked, so SIGINT/SIGTERM stay with the threads that read them
// (signalfd) even when the first batched line comes before those signals are blocked.
void BatchedWriter::start_thread() {
  sigset_t all, previous;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &previous);
  thread_ = std::thread([this] { flusher(); });
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
}

}  // namespace nt::output
