#pragma once
#include <cstddef>

namespace nt::sys {

// Raises RLIMIT_NOFILE's soft limit to its hard limit (servers and scanners want every descriptor
// the administrator allows). Returns the soft limit now in force.
std::size_t raise_fd_limit() noexcept;

}  // namespace nt::sys
