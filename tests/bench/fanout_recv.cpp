// Receiving side of the chat fan-out benchmark (chat_fanout.py --receiver-bin): it inherits the
// receivers' sockets (their numbers are the arguments after DEADLINE_S) and reads them all with epoll until
// each has LINES newlines (or DEADLINE_S passed), prints "done <CLOCK_MONOTONIC seconds>" and then writes
// what each socket received to DIR/<index> for the driver to check line by line. Written in C++ so the driver
// costs little next to the server: in python the receiver, not the server, set the pace.
//
//   fanout_recv LINES DIR DEADLINE_S FD…
#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

namespace {
double monotonic_s() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

struct Receiver {
  std::string data;
  long lines = 0;
  bool done = false;
};
}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: fanout_recv LINES DIR DEADLINE_S FD...\n");
    return 2;
  }
  const long lines = std::atol(argv[1]);
  const std::string dir = argv[2];
  const double deadline = monotonic_s() + std::atof(argv[3]);
  const int count = argc - 4;
  std::vector<int> fds;
  for (int i = 4; i < argc; ++i) fds.push_back(std::atoi(argv[i]));
  std::vector<Receiver> rx(static_cast<std::size_t>(count));
  int ep = epoll_create1(EPOLL_CLOEXEC);
  for (int i = 0; i < count; ++i) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u32 = static_cast<uint32_t>(i);
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fds[static_cast<std::size_t>(i)], &ev) != 0) return 3;
  }
  std::printf("ready\n");
  std::fflush(stdout);
  std::vector<char> buf(1 << 18);
  std::vector<epoll_event> events(static_cast<std::size_t>(count));
  int pending = count;
  while (pending > 0 && monotonic_s() < deadline) {
    int n = epoll_wait(ep, events.data(), count, 1000);
    for (int k = 0; k < n; ++k) {
      Receiver& r = rx[events[static_cast<std::size_t>(k)].data.u32];
      int fd = fds[events[static_cast<std::size_t>(k)].data.u32];
      ssize_t got = read(fd, buf.data(), buf.size());
      if (got > 0) {
        r.data.append(buf.data(), static_cast<std::size_t>(got));
        r.lines += std::count(buf.data(), buf.data() + got, '\n');
      }
      if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR) || r.lines >= lines) {
        epoll_ctl(ep, EPOLL_CTL_DEL, fd, nullptr);
        r.done = true;
        --pending;
      }
    }
  }
  std::printf("done %.9f\n", monotonic_s());
  std::fflush(stdout);
  for (int i = 0; i < count; ++i) {
    std::ofstream(dir + "/" + std::to_string(i), std::ios::binary) << rx[static_cast<std::size_t>(i)].data;
  }
  return 0;
}
