// One event loop per thread (DESIGN.md: more cores means more loops, not locks). The runner every
// multi-loop program uses: task 0 runs on the calling thread (the one whose loop reads signals), each
// other task on a thread of its own; the first task to throw stops the others through `stop_all`.
#pragma once
#include <functional>
#include <span>

#include "event/loop.hpp"

namespace nt::event {

// Returns when every task returned; rethrows the first exception a task threw (after all joined).
void run_on_threads(std::span<const std::function<void()>> tasks, const std::function<void()>& stop_all);

// Runs each loop on its own thread (loops[0] here) until one of them is stopped by a termination
// signal (loops[0] must watch signals), a call to stop(), or a failure; stops them all then.
// Returns the signal number that ended them, or 0.
int run_loops(std::span<EventLoop* const> loops);

}  // namespace nt::event
