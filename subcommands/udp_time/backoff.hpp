// Retry pacing for the client: exponential backoff with "equal jitter" (half fixed, half random),
// so many clients that lost the same server do not retry in lockstep.
#pragma once
#include <chrono>

namespace nt::timeproto {

// The pause before retry number `retry` (0 for the first retry): d = min(cap, base·2^retry),
// returned as d/2 + u·d/2 for u in [0, 1).
std::chrono::nanoseconds backoff_delay(int retry, std::chrono::nanoseconds base, std::chrono::nanoseconds cap,
                                       double u) noexcept;

}  // namespace nt::timeproto
