// A server's output can go away under it (`nettool udp-time server --jsonl | head -1`): without a
// watch it would learn so only at the next record it writes, i.e. at the next client, and drop that
// client (issue 18.9). Watching stdout for EPOLLERR/EPOLLHUP (always reported, even with no events
// asked) stops the loop as soon as the reader of a pipe or socket closes its end.
#pragma once
#include <unistd.h>

#include "event/loop.hpp"

namespace nt::event {

// Calls loop.stop() when `fd` reports an error or hang-up, and sets *gone. False (nothing watched)
// when epoll refuses the fd: a regular file or /dev/null (EPERM) never goes away.
bool stop_when_output_gone(EventLoop& loop, bool* gone = nullptr, int fd = STDOUT_FILENO);

}  // namespace nt::event
