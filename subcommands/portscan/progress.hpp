// Progress on stderr while a scan runs — done/total, rate, ETA — only when stderr is a terminal.
// The one place in portscan that writes anything but records (DESIGN.md: diagnostics go to stderr).
#pragma once
#include <cstdint>

#include "event/loop.hpp"

namespace nt::portscan {

class Progress {
 public:
  // Enabled when stderr is a terminal and the user did not ask for -q.
  explicit Progress(bool quiet);
  ~Progress();  // clears the line
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Redraws at most four times a second.
  void update(uint64_t done, uint64_t total, uint64_t packets);
  void clear();

 private:
  bool enabled_;
  bool drawn_ = false;
  event::TimePoint start_, last_draw_{};
};

}  // namespace nt::portscan
