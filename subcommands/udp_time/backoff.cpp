#include "subcommands/udp_time/backoff.hpp"

#include <algorithm>

namespace nt::timeproto {

std::chrono::nanoseconds backoff_delay(int retry, std::chrono::nanoseconds base, std::chrono::nanoseconds cap,
                                       double u) noexcept {
  auto d = base;
  for (int i = 0; i < retry && d < cap; ++i) d *= 2;
  d = std::min(d, cap);
  u = std::clamp(u, 0.0, 1.0);
  auto half = d / 2;
  return half + std::chrono::nanoseconds(static_cast<int64_t>(static_cast<double>(half.count()) * u));
}

}  // namespace nt::timeproto
