// Fan-out driver for tests/bench/chat-server.sh: 1 sender -> N receivers through a chat server, every
// line checked afterwards (delivered once, in order, intact). Written in C++ because the python driver
// it replaces used 90-98% of a core while it received: it, not the server, set the pace.
// Modes: json (nettool chat-server: join, then message lines), broker (ncat --broker: raw lines relayed
// as they are), chat (ncat --chat: "<userN> " prefixes and "<announce>" lines).
// Prints one JSON object: deliveries/s (median and best round), lost, corrupted, server CPU per
// delivery (schedstat of every server thread), the driver's own CPU share of the receiving time.
//
//   chat_fanout MODE PORT SERVER_PID RECEIVERS LINES ROUNDS
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Config {
  std::string mode;
  int port = 0;
  int server_pid = 0;
  int receivers = 99;
  int lines = 1000;
  int rounds = 10;
};

struct Round {
  double deliveries_per_s = 0, server_cpu_s = 0, driver_cpu_share = 0, first_byte_s = 0;
  long lost = 0, corrupted = 0;
};

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "chat_fanout: %s: %s\n", what.c_str(), std::strerror(errno));
  std::exit(3);
}

// CPU time of every thread of `pid` in seconds, to the nanosecond (/proc/PID/stat counts 10 ms ticks).
double server_cpu_s(int pid) {
  std::string dir = "/proc/" + std::to_string(pid) + "/task";
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) die(dir);
  double total = 0;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    std::ifstream f(dir + "/" + e->d_name + "/schedstat");
    long long ns = 0;
    f >> ns;
    total += static_cast<double>(ns) / 1e9;
  }
  closedir(d);
  return total;
}

double own_cpu_s() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto s = [](timeval t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

// A server that died or refused (ncat --chat does, here) ends the run: the rounds so far are reported.
struct ServerGone {};

int connect_to(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) die("socket");
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) throw ServerGone{};
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

void send_all(int fd, const std::string& data) {
  for (std::size_t off = 0; off < data.size();) {
    ssize_t n = send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw ServerGone{};
    off += static_cast<std::size_t>(n);
  }
}

// Reads whatever the server still sends (welcomes, joins, announcements) until it is quiet for 300 ms.
void drain(const std::vector<int>& fds) {
  std::vector<pollfd> p;
  for (int fd : fds) p.push_back({fd, POLLIN, 0});
  static char sink[1 << 16];
  auto deadline = Clock::now() + std::chrono::seconds(30);
  while (Clock::now() < deadline && poll(p.data(), p.size(), 300) > 0) {
    for (pollfd& q : p) {
      if (q.revents == 0) continue;
      if (recv(q.fd, sink, sizeof sink, MSG_DONTWAIT) == 0) q.fd = -1;  // closed: counted as lost
    }
  }
}

std::string payload(int seq) {
  char head[16];
  std::snprintf(head, sizeof head, "seq %06d ", seq);
  return head + std::string("abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789");
}

std::string burst(const Config& c) {
  std::string data;
  for (int i = 0; i < c.lines; ++i) {
    data += c.mode == "json" ? R"({"type":"message","text":")" + payload(i) + "\"}\n" : payload(i) + "\n";
  }
  return data;
}

// The message text of one received line; nullopt for lines that are not messages.
std::optional<std::string> line_text(const std::string& mode, std::string_view raw) {
  if (mode == "json") {
    auto msg = nlohmann::json::parse(raw, nullptr, false);
    if (msg.is_discarded() || !msg.is_object()) return "<corrupted>";
    if (msg.value("type", "") != "message" || !msg.contains("text") || !msg["text"].is_string())
      return std::nullopt;
    return msg["text"].get<std::string>();
  }
  if (mode == "chat" && raw.starts_with("<announce>")) return std::nullopt;
  if (mode == "chat" && raw.starts_with("<user")) {
    auto at = raw.find("> ");
    if (at != std::string_view::npos) raw.remove_prefix(at + 2);
  }
  return std::string(raw);
}

// Counts one receiver's lines: lost are missing ones, corrupted are wrong, out of order or extra.
void check(const Config& c, const std::string& received, Round& r) {
  long got = 0, ok = 0;
  std::size_t start = 0;
  while (start < received.size()) {
    std::size_t end = received.find('\n', start);
    if (end == std::string::npos) end = received.size();
    std::string_view line(received.data() + start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    auto text = line_text(c.mode, line);
    if (!text) continue;
    if (got < c.lines && *text == payload(static_cast<int>(got))) ++ok;
    ++got;
  }
  r.corrupted += std::min<long>(got, c.lines) - ok + std::max<long>(0, got - c.lines);
  r.lost += std::max<long>(0, c.lines - got);
}

struct Receiver {
  int fd = -1;
  std::string data;
  std::size_t used = 0;
  long newlines = 0;
};

// Reads what one receiver has; true when it is done (all lines, or the server closed it).
bool read_some(Receiver& r, int lines) {
  for (;;) {
    if (r.data.size() - r.used < (1 << 16)) r.data.resize(r.data.size() * 2 + (1 << 17));
    ssize_t n = recv(r.fd, r.data.data() + r.used, r.data.size() - r.used, MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;  // EAGAIN: more later
    if (n == 0) return true;
    const char* p = r.data.data() + r.used;
    const char* end = p + n;
    while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p))))) {
      ++r.newlines;
      ++p;
    }
    r.used += static_cast<std::size_t>(n);
    if (r.newlines >= lines) return true;  // joins were drained before: only message lines come now
  }
}

// Sends the burst (the sender is in the same loop, so a server that stops reading cannot deadlock us)
// and reads every receiver until it has `lines` lines. Returns the elapsed seconds; `first_byte_s`: when
// the first message byte reached a receiver.
double exchange(std::vector<Receiver>& rs, int sender, const std::string& data, int lines,
                double& first_byte_s) {
  int ep = epoll_create1(EPOLL_CLOEXEC);
  for (std::size_t i = 0; i < rs.size(); ++i) {
    epoll_event ev{EPOLLIN, {.u64 = i}};
    epoll_ctl(ep, EPOLL_CTL_ADD, rs[i].fd, &ev);
  }
  epoll_event out{EPOLLOUT, {.u64 = rs.size()}};
  epoll_ctl(ep, EPOLL_CTL_ADD, sender, &out);
  std::size_t sent = 0, pending = rs.size();
  auto t0 = Clock::now(), deadline = t0 + std::chrono::seconds(20);
  epoll_event evs[128];
  while (pending > 0 && Clock::now() < deadline) {
    int n = epoll_wait(ep, evs, 128, 1000);
    for (int k = 0; k < n; ++k) {
      std::size_t i = evs[k].data.u64;
      if (i == rs.size()) {
        ssize_t w = send(sender, data.data() + sent, data.size() - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (w > 0) sent += static_cast<std::size_t>(w);
        if (sent == data.size() || (w < 0 && errno != EAGAIN)) epoll_ctl(ep, EPOLL_CTL_DEL, sender, nullptr);
        continue;
      }
      bool done = read_some(rs[i], lines);
      if (first_byte_s == 0 && rs[i].used > 0)
        first_byte_s = std::chrono::duration<double>(Clock::now() - t0).count();
      if (done) {
        epoll_ctl(ep, EPOLL_CTL_DEL, rs[i].fd, nullptr);
        --pending;
      }
    }
  }
  close(ep);
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::string fmt_join(const std::string& name) {
  return R"({"type":"join","name":")" + name + "\"}\n";
}

Round one_round(const Config& c, int rnd) {
  std::vector<Receiver> rs(static_cast<std::size_t>(c.receivers));
  for (Receiver& r : rs) r.fd = connect_to(c.port);
  int sender = connect_to(c.port);
  std::vector<int> all;
  for (std::size_t i = 0; i < rs.size(); ++i) {
    if (c.mode == "json") send_all(rs[i].fd, fmt_join("r" + std::to_string(rnd) + "-" + std::to_string(i)));
    all.push_back(rs[i].fd);
  }
  if (c.mode == "json") send_all(sender, fmt_join("s" + std::to_string(rnd)));
  all.push_back(sender);
  drain(all);
  std::string data = burst(c);
  // Room for every line, zero-filled (so faulted in) before the clock starts.
  for (Receiver& r : rs) r.data.resize(data.size() * 2 + (1 << 17));
  double cpu0 = server_cpu_s(c.server_pid), me0 = own_cpu_s();
  Round r;
  double elapsed = exchange(rs, sender, data, c.lines, r.first_byte_s);
  r.server_cpu_s = server_cpu_s(c.server_pid) - cpu0;
  r.driver_cpu_share = (own_cpu_s() - me0) / elapsed;
  for (Receiver& rc : rs) {
    rc.data.resize(rc.used);
    check(c, rc.data, r);
    close(rc.fd);
  }
  close(sender);
  r.deliveries_per_s = static_cast<double>(static_cast<long>(c.receivers) * c.lines - r.lost) / elapsed;
  return r;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

void report(const Config& c, const std::vector<Round>& runs, int failed_rounds) {
  std::vector<double> rate, share, first;
  double cpu = 0;
  long lost = 0, corrupted = 0;
  for (const Round& r : runs) {
    rate.push_back(r.deliveries_per_s);
    share.push_back(r.driver_cpu_share);
    first.push_back(r.first_byte_s);
    cpu += r.server_cpu_s;
    lost += r.lost;
    corrupted += r.corrupted;
  }
  double deliveries = static_cast<double>(runs.size()) * c.receivers * c.lines;
  nlohmann::json j = {{"deliveries_per_s", median(rate)},
                      {"best_deliveries_per_s", *std::max_element(rate.begin(), rate.end())},
                      {"deliveries_per_cpu_s", cpu > 0 ? deliveries / cpu : 0},
                      {"cpu_us_per_delivery", cpu / deliveries * 1e6},
                      {"server_cpu_s", cpu},
                      {"driver_cpu_share", median(share)},
                      {"first_byte_ms", median(first) * 1e3},
                      {"lost", lost},
                      {"corrupted", corrupted},
                      {"rounds", runs.size()},
                      {"failed_rounds", failed_rounds}};
  std::puts(j.dump().c_str());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7) {
    std::fprintf(stderr, "usage: chat_fanout json|broker|chat PORT SERVER_PID RECEIVERS LINES ROUNDS\n");
    return 2;
  }
  Config c{argv[1],           std::atoi(argv[2]), std::atoi(argv[3]), std::atoi(argv[4]), std::atoi(argv[5]),
           std::atoi(argv[6])};
  std::vector<Round> runs;
  try {
    for (int r = 0; r < c.rounds; ++r) runs.push_back(one_round(c, r));
  } catch (const ServerGone&) {
    std::fprintf(stderr, "chat_fanout: the server closed or refused after %zu rounds\n", runs.size());
  }
  int failed = c.rounds - static_cast<int>(runs.size());
  if (runs.empty()) runs.push_back(Round{.lost = static_cast<long>(c.receivers) * c.lines});
  report(c, runs, failed);
}
