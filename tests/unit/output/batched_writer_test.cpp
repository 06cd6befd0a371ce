// BatchedWriter (jsonl's flushes): a lone line reaches a pipe reader without a further write, a burst
// shares few write(2) calls, and a reader that left turns into EPIPE at the next write or flush.
#include <doctest/doctest.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <string>
#include <system_error>

#include "output/batched_writer.hpp"

using nt::output::BatchedWriter;

namespace {
constexpr int kHangGuardMs = 5000;  // not a timing assertion: only keeps a broken flusher from hanging

struct Pipe {
  int read_end = -1;
  std::FILE* write_end = nullptr;
  Pipe() {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    read_end = fds[0];
    write_end = ::fdopen(fds[1], "w");  // a pipe: fully buffered, as stdout in `| jq`
  }
  ~Pipe() {
    if (write_end) std::fclose(write_end);
    if (read_end >= 0) ::close(read_end);
  }
  // Reads until `want` bytes arrived or the hang guard expires.
  std::string read_bytes(std::size_t want) const {
    std::string got;
    char buf[4096];
    while (got.size() < want) {
      pollfd p{read_end, POLLIN, 0};
      if (::poll(&p, 1, kHangGuardMs) != 1) break;
      ssize_t n = ::read(read_end, buf, sizeof buf);
      if (n <= 0) break;
      got.append(buf, static_cast<std::size_t>(n));
    }
    return got;
  }
};

ssize_t count_write(void* cookie, const char*, std::size_t size) {
  ++*static_cast<int*>(cookie);
  return static_cast<ssize_t>(size);
}
}  // namespace

TEST_CASE("batched writer: a lone line and a line in a burst both reach the reader unprompted") {
  Pipe pipe;
  BatchedWriter writer(pipe.write_end);
  writer.write("{\"seq\":1}\n");  // after a quiet spell: flushed at once
  CHECK(pipe.read_bytes(10) == "{\"seq\":1}\n");
  writer.write("{\"seq\":2}\n");  // right after the first: left to the flusher thread
  writer.write("{\"seq\":3}\n");
  CHECK(pipe.read_bytes(20) == "{\"seq\":2}\n{\"seq\":3}\n");
}

TEST_CASE("batched writer: a burst of lines shares write calls") {
  int writes = 0;
  cookie_io_functions_t io{nullptr, count_write, nullptr, nullptr};
  std::FILE* f = ::fopencookie(&writes, "w", io);
  REQUIRE(f != nullptr);
  REQUIRE(std::setvbuf(f, nullptr, _IOFBF, 4096) == 0);
  {
    BatchedWriter writer(f);
    for (int i = 0; i < 10000; ++i) writer.write("{\"type\":\"reply\",\"seq\":12345,\"rtt_ms\":0.042}\n");
    writer.flush();
  }
  std::fclose(f);
  MESSAGE("write calls for 10000 lines: " << writes);
  CHECK(writes > 0);
  CHECK(writes < 1000);  // ~110 buffers of 4 KiB, plus at most a flush per 50 ms of the burst
}

TEST_CASE("batched writer: a reader that left is EPIPE at the next write or flush") {
  std::signal(SIGPIPE, SIG_IGN);  // as main does: EPIPE instead of death
  Pipe pipe;
  ::close(pipe.read_end);
  pipe.read_end = -1;
  BatchedWriter writer(pipe.write_end);
  bool epipe = false;
  try {
    for (int i = 0; i < 100000 && !epipe; ++i) writer.write("{\"seq\":1}\n");
    writer.flush();
  } catch (const std::system_error& e) {
    epipe = e.code().value() == EPIPE;
  }
  CHECK(epipe);
}
