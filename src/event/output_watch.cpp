#include "event/output_watch.hpp"

#include <system_error>

namespace nt::event {

bool stop_when_output_gone(EventLoop& loop, bool* gone, int fd) {
  try {
    loop.add(fd, 0, [&loop, gone, fd](uint32_t) {
      if (gone) *gone = true;
      loop.remove(fd);  // level-triggered: it would fire on every wakeup until the loop returns
      loop.stop();
    });
    return true;
  } catch (const std::system_error&) {
    return false;  // EPERM: a regular file; EBADF: stdout closed at start (the first write says so)
  }
}

}  // namespace nt::event
