#include "subcommands/portscan/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace nt::portscan {

Progress::Progress(bool quiet)
    : enabled_(!quiet && ::isatty(STDERR_FILENO) == 1), start_(event::EventLoop::now()) {}

Progress::~Progress() {
  clear();
}

void Progress::update(uint64_t done, uint64_t total, uint64_t packets) {
  if (!enabled_) return;
  const auto now = event::EventLoop::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(250)) return;
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(packets) / elapsed : 0;
  const double per_probe = done > 0 ? elapsed / static_cast<double>(done) : 0;
  const double eta = per_probe * static_cast<double>(total - std::min(done, total));
  const double percent = total ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 100.0;
  // \r + erase-line keeps it to one line that the next redraw (or clear) replaces.
  fmt::print(stderr, "\r\033[K{}/{} probes ({:.1f}%), {:.0f} pkt/s, ETA {:.0f} s", done, total, percent, rate,
             eta);
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::clear() {
  if (!drawn_) return;
  fmt::print(stderr, "\r\033[K");
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace nt::portscan
