#include "sys/rlimits.hpp"

#include <sys/resource.h>

namespace nt::sys {

std::size_t raise_fd_limit() noexcept {
  struct rlimit lim {};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return 1024;
  if (lim.rlim_cur < lim.rlim_max) {
    struct rlimit want = lim;
    want.rlim_cur = lim.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &want) == 0) lim = want;
  }
  return static_cast<std::size_t>(lim.rlim_cur);
}

}  // namespace nt::sys
