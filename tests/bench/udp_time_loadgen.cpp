// SNTP load generator for tests/bench/udp-time.sh (not part of nettool): keeps W requests in flight
// to a loopback server for a fixed time and counts valid replies (mode 4, origin = one we sent).
// A slot whose reply is lost is refilled after 50 ms without traffic. Bounded in time and memory.
// Usage: udp_time_loadgen PORT INFLIGHT SECONDS   → prints "answered=N seconds=S qps=Q"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {
double now_s() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// Request cookies are a counter in the transmit timestamp; a reply is valid if its origin is one
// we issued (≤ counter) and not older than the last 1M requests.
uint64_t g_next = 1;

void make_request(uint8_t* p) {
  std::memset(p, 0, 48);
  p[0] = 0x23;  // LI 0, version 4, mode 3
  uint64_t c = g_next++;
  for (int i = 0; i < 8; ++i) p[40 + i] = static_cast<uint8_t>(c >> (56 - 8 * i));
}

bool valid_reply(const uint8_t* p, ssize_t n) {
  if (n < 48 || (p[0] & 7) != 4) return false;
  uint64_t o = 0;
  for (int i = 0; i < 8; ++i) o = (o << 8) | p[24 + i];
  return o != 0 && o < g_next && g_next - o <= (1u << 20);
}

int send_batch(int fd, int count) {
  if (count <= 0) return 0;
  std::vector<uint8_t> bufs(static_cast<size_t>(count) * 48);
  std::vector<iovec> iov(static_cast<size_t>(count));
  std::vector<mmsghdr> msgs(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    make_request(&bufs[static_cast<size_t>(i) * 48]);
    iov[static_cast<size_t>(i)] = {&bufs[static_cast<size_t>(i) * 48], 48};
    msgs[static_cast<size_t>(i)] = {};
    msgs[static_cast<size_t>(i)].msg_hdr.msg_iov = &iov[static_cast<size_t>(i)];
    msgs[static_cast<size_t>(i)].msg_hdr.msg_iovlen = 1;
  }
  int sent = sendmmsg(fd, msgs.data(), static_cast<unsigned>(count), 0);
  return sent < 0 ? 0 : sent;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s PORT INFLIGHT SECONDS\n", argv[0]);
    return 2;
  }
  int port = std::atoi(argv[1]), inflight = std::atoi(argv[2]);
  double seconds = std::atof(argv[3]);
  if (port <= 0 || inflight <= 0 || inflight > 1024 || seconds <= 0 || seconds > 120) return 2;
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) return perror("connect"), 3;

  constexpr int kBatch = 64;
  uint8_t rbuf[kBatch][128];
  iovec riov[kBatch];
  mmsghdr rmsg[kBatch];
  uint64_t answered = 0;
  int outstanding = send_batch(fd, inflight);
  double start = now_s(), end = start + seconds, last_rx = start;
  while (now_s() < end) {
    pollfd pfd{fd, POLLIN, 0};
    if (poll(&pfd, 1, 10) <= 0) {
      if (now_s() - last_rx > 0.05) {  // replies lost: refill every slot
        outstanding = 0;
        outstanding += send_batch(fd, inflight);
        last_rx = now_s();
      }
      continue;
    }
    for (int i = 0; i < kBatch; ++i) {
      riov[i] = {rbuf[i], sizeof rbuf[i]};
      rmsg[i] = {};
      rmsg[i].msg_hdr.msg_iov = &riov[i];
      rmsg[i].msg_hdr.msg_iovlen = 1;
    }
    int n = recvmmsg(fd, rmsg, kBatch, MSG_DONTWAIT, nullptr);
    if (n <= 0) continue;
    int good = 0;
    for (int i = 0; i < n; ++i) good += valid_reply(rbuf[i], rmsg[i].msg_len) ? 1 : 0;
    answered += static_cast<uint64_t>(good);
    outstanding -= n;
    last_rx = now_s();
    int refill = inflight - (outstanding < 0 ? 0 : outstanding);
    outstanding = (outstanding < 0 ? 0 : outstanding) + send_batch(fd, refill);
  }
  double elapsed = now_s() - start;
  std::printf("answered=%llu seconds=%.3f qps=%.0f\n", static_cast<unsigned long long>(answered), elapsed,
              static_cast<double>(answered) / elapsed);
  close(fd);
  return 0;
}
