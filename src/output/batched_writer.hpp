// Writes lines to a stream and flushes them within a bound without a flush per line: the first line
// after a quiet spell is flushed at once (a person, or `| jq`, sees it immediately); lines that follow
// closely stay in the stream's buffer until a thread flushes them, at most `max_delay` later. A fast
// stream of records (ping -f --jsonl) then costs one write(2) per buffer, not one per record.
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string_view>
#include <thread>

namespace nt::output {

class BatchedWriter {
 public:
  using Clock = std::chrono::steady_clock;
  explicit BatchedWriter(std::FILE* out, std::chrono::milliseconds max_delay = std::chrono::milliseconds(50));
  ~BatchedWriter();
  BatchedWriter(const BatchedWriter&) = delete;
  BatchedWriter& operator=(const BatchedWriter&) = delete;

  // Throws std::system_error for a failed write, also one the thread met (EPIPE: the reader left).
  void write(std::string_view line);
  // Flushes now and stops the thread; throws like write().
  void flush();

 private:
  void flush_locked();
  void flusher();
  void start_thread();

  std::FILE* out_;
  std::chrono::milliseconds max_delay_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool dirty_ = false;  // written, not flushed
  bool stop_ = false;
  int error_ = 0;  // errno of a failed flush, rethrown by the next write()
  Clock::time_point dirty_since_{};
  Clock::time_point last_flush_{};
  std::thread thread_;  // started by the first line that is not flushed at once
};

}  // namespace nt::output
