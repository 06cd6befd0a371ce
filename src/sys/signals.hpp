// Termination signals (SIGINT, SIGTERM) are blocked in every thread from the start of main and read
// through one process-wide signalfd, so they arrive as ordinary events in the loop (never mid-syscall).
#pragma once
#include <chrono>

namespace nt::sys {

// Blocks SIGINT/SIGTERM (inherited by threads created later), ignores SIGPIPE (we send with
// MSG_NOSIGNAL; stdout closed early surfaces as EPIPE) and creates the signalfd. Call once, first.
void install_signal_handling();

// The non-blocking signalfd, or -1 before install_signal_handling().
int termination_signal_fd() noexcept;

// Reads one pending termination signal from the signalfd: its number, or 0 when none is pending.
// A signal read here is remembered, so termination_requested() stays true afterwards.
int take_termination_signal() noexcept;
bool termination_requested() noexcept;

// Sleeps for `d` (zero or less: not at all), waking early for SIGINT/SIGTERM. True when a termination
// signal has arrived, during the sleep or before it. For pauses outside an event loop.
bool sleep_unless_terminated(std::chrono::nanoseconds d) noexcept;

}  // namespace nt::sys
