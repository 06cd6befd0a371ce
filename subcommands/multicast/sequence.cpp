#include "subcommands/multicast/sequence.hpp"

#include <algorithm>

namespace nt::multicast {

const char* arrival_name(Arrival a) noexcept {
  switch (a) {
    case Arrival::first:
      return "first";
    case Arrival::in_order:
      return "in_order";
    case Arrival::gap:
      return "gap";
    case Arrival::reordered:
      return "reordered";
    case Arrival::duplicate:
      return "duplicate";
    case Arrival::too_old:
      return "too_old";
  }
  return "unknown";
}

bool SequenceTracker::seen(uint64_t seq) const noexcept {
  const uint64_t slot = seq % kWindow;
  return (bits_[slot / 64] >> (slot % 64)) & 1U;
}

void SequenceTracker::mark(uint64_t seq) noexcept {
  const uint64_t slot = seq % kWindow;
  bits_[slot / 64] |= uint64_t{1} << (slot % 64);
}

// Moves the window's top to `seq`: the slots of the numbers it passes over held numbers kWindow
// below them, which leave the window now.
void SequenceTracker::advance(uint64_t seq) noexcept {
  if (seq - highest_ >= kWindow) {
    std::fill(bits_.begin(), bits_.end(), 0);
  } else {
    for (uint64_t s = highest_ + 1; s <= seq; ++s) {
      const uint64_t slot = s % kWindow;
      bits_[slot / 64] &= ~(uint64_t{1} << (slot % 64));
    }
  }
  highest_ = seq;
}

Arrival SequenceTracker::add(uint64_t seq) {
  ++received_;
  if (received_ == 1) {
    bits_.assign(kWindow / 64, 0);
    lowest_ = highest_ = seq;
    mark(seq);
    ++unique_;
    return Arrival::first;
  }
  if (seq > highest_) {
    const bool gap = seq > highest_ + 1;
    advance(seq);
    mark(seq);
    ++unique_;
    if (gap) ++gaps_;
    return gap ? Arrival::gap : Arrival::in_order;
  }
  const bool in_window = highest_ - seq < kWindow;
  if (in_window && seen(seq)) {
    ++duplicated_;
    return Arrival::duplicate;
  }
  if (in_window) mark(seq);
  ++unique_;
  ++reordered_;
  lowest_ = std::min(lowest_, seq);
  return in_window ? Arrival::reordered : Arrival::too_old;
}

uint64_t SequenceTracker::lost(bool from_zero, uint64_t expected) const noexcept {
  if (empty()) return expected;
  const uint64_t base = from_zero ? 0 : lowest_;
  const uint64_t end = std::max(highest_ + 1, expected);
  const uint64_t span = end - base;
  return span > unique_ ? span - unique_ : 0;
}

}  // namespace nt::multicast
