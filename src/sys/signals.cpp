#include "sys/signals.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <limits>

#include "sys/error.hpp"

namespace nt::sys {

namespace {
int g_signal_fd = -1;
std::atomic<int> g_received{0};
}  // namespace

void install_signal_handling() {
  if (g_signal_fd >= 0) return;
  ::signal(SIGPIPE, SIG_IGN);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  // pthread_sigmask returns its error number instead of setting errno.
  if (int err = ::pthread_sigmask(SIG_BLOCK, &set, nullptr); err != 0)
    throw_errno("blocking SIGINT/SIGTERM", err);
  g_signal_fd = ::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (g_signal_fd < 0) throw_errno("signalfd");
}

int termination_signal_fd() noexcept {
  return g_signal_fd;
}

int take_termination_signal() noexcept {
  if (g_signal_fd < 0) return 0;
  struct signalfd_siginfo info {};
  ssize_t n = ::read(g_signal_fd, &info, sizeof info);
  if (n != static_cast<ssize_t>(sizeof info)) return 0;
  g_received.store(static_cast<int>(info.ssi_signo));
  return static_cast<int>(info.ssi_signo);
}

bool termination_requested() noexcept {
  if (g_received.load() != 0) return true;
  return take_termination_signal() != 0;
}

bool sleep_unless_terminated(std::chrono::nanoseconds d) noexcept {
  auto deadline = std::chrono::steady_clock::now() + d;
  while (!termination_requested()) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    // Before install_signal_handling there is no signalfd: then this is a plain sleep.
    pollfd p{g_signal_fd, POLLIN, 0};
    int wait_ms = static_cast<int>(std::min<long long>(left.count(), std::numeric_limits<int>::max()));
    (void)::poll(&p, g_signal_fd >= 0 ? 1 : 0, wait_ms);  // EINTR and timeouts: the loop re-checks
  }
  return true;
}

}  // namespace nt::sys
