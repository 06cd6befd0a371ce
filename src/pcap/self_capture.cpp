#include "pcap/self_capture.hpp"

#include "config.h"
#include "sys/error.hpp"

#if NETTOOL_HAVE_PCAP
#include <fmt/format.h>
#include <linux/capability.h>
#include <poll.h>
#include <sys/eventfd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <mutex>
#include <thread>

#include "net/fd.hpp"
#include "pcap/capture.hpp"
#include "pcap/library.hpp"
#include "sys/privileges.hpp"

namespace nt::capture {

namespace {

// After stop: write everything the ring holds, then keep reading while packets still arrive (a peer's
// FIN/ACK answering our close), until the ring has been quiet for kQuiet or kSettle has passed.
constexpr auto kQuiet = std::chrono::milliseconds(30);
constexpr auto kSettle = std::chrono::milliseconds(300);
constexpr auto kHardStop = std::chrono::seconds(3);

constexpr const char* kMatchNothing = "less 0";  // no frame is shorter than 0 bytes

CaptureOptions capture_options() {
  CaptureOptions o;
  o.snaplen = 262144;  // whole packets: the file is for reading payloads too
  o.buffer_bytes = 8 * 1024 * 1024;
  o.inbound_only = false;  // both directions: what we sent and what we received
  // Whole packets in immediate mode would take a 64 KiB frame each (loopback's MTU): a ping-pong
  // of small segments overran that ring. Blocks (TPACKET_V3) hold them by size, handed over within
  // timeout_ms, well inside kQuiet, so stop() still sees the last ones.
  o.immediate = false;
  o.timeout_ms = 10;
  return o;
}

}  // namespace

struct SelfCapture::Impl {
  PcapCapture capture{capture_options()};
  pcap_dumper_t* dumper = nullptr;
  bpf_program program{};  // the current filter, rechecked in userland (see on_packet)
  bool have_program = false;
  std::mutex mutex;  // the handle and program: record() replaces them while the writer reads
  std::thread writer;
  net::UniqueFd wake{::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)};
  std::atomic<uint64_t> packets{0};
  uint64_t dropped = 0;
  std::string path;
  bool stopped = false;

  ~Impl() {
    if (have_program) pcap_library().freecode(&program);
    if (dumper) pcap_library().dump_close(dumper);
  }

  void install(const std::string& expression);
  int write_pending();
  void run_writer();
  void settle();
  static void on_packet(u_char* user, const pcap_pkthdr* header, const u_char* bytes);
};

// Frames the kernel put in the ring before a filter replaced the previous one were judged by the old
// filter; checking each against the current one keeps the file to exactly the traffic described last.
void SelfCapture::Impl::on_packet(u_char* user, const pcap_pkthdr* header, const u_char* bytes) {
  auto* self = reinterpret_cast<Impl*>(user);
  const auto& lib = pcap_library();
  if (!self->have_program || lib.offline_filter(&self->program, header, bytes) == 0) return;
  lib.dump(reinterpret_cast<u_char*>(self->dumper), header, bytes);
  self->packets.fetch_add(1, std::memory_order_relaxed);
}

namespace {

bool wait_readable(int fd, int wake_fd, std::chrono::milliseconds timeout) {
  pollfd fds[2] = {{fd, POLLIN, 0}, {wake_fd, POLLIN, 0}};
  int n = ::poll(fds, wake_fd >= 0 ? 2 : 1, static_cast<int>(timeout.count()));
  return n > 0 && (fds[0].revents & POLLIN) != 0;
}

}  // namespace

void SelfCapture::Impl::install(const std::string& expression) {
  const auto& lib = pcap_library();
  std::lock_guard lock(mutex);
  capture.set_filter(expression);  // the kernel's copy; throws naming the expression
  bpf_program fresh{};
  if (lib.compile(capture.native(), &fresh, expression.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0)
    throw RuntimeError(
        fmt::format("compiling capture filter '{}': {}", expression, lib.geterr(capture.native())));
  if (have_program) lib.freecode(&program);
  program = fresh;
  have_program = true;
}

int SelfCapture::Impl::write_pending() {
  std::lock_guard lock(mutex);
  return capture.dispatch(on_packet, reinterpret_cast<u_char*>(this));
}

void SelfCapture::Impl::run_writer() {
  sys::drop_thread_capabilities();  // the handle is open: this thread needs nothing more
  try {
    for (;;) {
      wait_readable(capture.selectable_fd(), wake.get(), std::chrono::milliseconds(500));
      write_pending();
      uint64_t value = 0;
      if (::read(wake.get(), &value, sizeof value) == static_cast<ssize_t>(sizeof value)) break;
    }
    settle();
  } catch (const std::exception&) {
    // A read error ends the capture early; stop() still flushes what was written.
  }
}

void SelfCapture::Impl::settle() {
  // What the ring holds is written even past kSettle (the ring is bounded); only the wait for packets
  // still to come is bounded, and kHardStop ends it when traffic to our port never stops.
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    const auto elapsed = std::chrono::steady_clock::now() - start;
    if (write_pending() > 0 && elapsed < kHardStop) continue;
    if (elapsed >= kSettle) break;
    if (!wait_readable(capture.selectable_fd(), -1, kQuiet)) break;
  }
}

SelfCapture::SelfCapture(const std::string& path) {
  if (path == "-") throw UsageError("invalid --pcap '-': stdout carries the records; name a file");
  if (!sys::has_capability(CAP_NET_RAW))
    throw PrivilegeError(
        "--pcap needs CAP_NET_RAW to capture packets: run as root or grant it (setcap cap_net_raw+ep "
        "nettool)");
  impl_ = std::make_unique<Impl>();
  impl_->path = path;
  impl_->capture.set_filter(kMatchNothing);
  const auto& lib = pcap_library();
  impl_->dumper = lib.dump_open(impl_->capture.native(), path.c_str());
  if (!impl_->dumper)
    throw UsageError(fmt::format("invalid --pcap '{}': {}", path, lib.geterr(impl_->capture.native())));
}

SelfCapture::~SelfCapture() {
  try {
    stop();
  } catch (const std::exception&) {
    // stop() was the place to report it; a destructor cannot
  }
}

void SelfCapture::record(const TrafficFilter& traffic) {
  if (impl_->stopped || traffic.empty()) return;
  impl_->install(traffic.expression());
  if (!impl_->writer.joinable()) impl_->writer = std::thread([this] { impl_->run_writer(); });
}

void SelfCapture::stop() {
  if (!impl_ || impl_->stopped) return;
  impl_->stopped = true;
  if (impl_->writer.joinable()) {
    const uint64_t one = 1;
    (void)!::write(impl_->wake.get(), &one, sizeof one);
    impl_->writer.join();
  } else if (impl_->have_program) {
    impl_->settle();
  }
  impl_->dropped = impl_->capture.kernel_drops();
  const auto& lib = pcap_library();
  if (lib.dump_flush(impl_->dumper) != 0)
    throw RuntimeError(fmt::format("writing --pcap '{}': {}", impl_->path, std::strerror(errno)));
}

uint64_t SelfCapture::packets_written() const noexcept {
  return impl_ ? impl_->packets.load(std::memory_order_relaxed) : 0;
}

uint64_t SelfCapture::packets_dropped() const noexcept {
  return impl_ ? impl_->dropped : 0;
}

}  // namespace nt::capture

#else

namespace nt::capture {

struct SelfCapture::Impl {};

SelfCapture::SelfCapture(const std::string&) {
  throw UsageError("--pcap: this nettool was built without libpcap");
}
SelfCapture::~SelfCapture() = default;
void SelfCapture::record(const TrafficFilter&) {}
void SelfCapture::stop() {}
uint64_t SelfCapture::packets_written() const noexcept {
  return 0;
}
uint64_t SelfCapture::packets_dropped() const noexcept {
  return 0;
}

}  // namespace nt::capture
#endif
