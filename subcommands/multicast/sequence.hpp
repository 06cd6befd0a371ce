// Per-sender sequence accounting: which sequence numbers arrived, in which order, how often.
// A sliding window of the last kWindow numbers below the highest one seen tells a duplicate from a
// late (reordered) datagram in fixed memory (8 KiB per sender).
#pragma once
#include <cstdint>
#include <vector>

namespace nt::multicast {

enum class Arrival : uint8_t {
  first,      // the first datagram of this sender
  in_order,   // highest + 1
  gap,        // beyond highest + 1: one or more are missing (so far)
  reordered,  // below the highest, not seen before (it fills a gap)
  duplicate,  // seen before
  too_old,    // further back than the window: counted as reordered, not checked for duplicates
};
const char* arrival_name(Arrival a) noexcept;

class SequenceTracker {
 public:
  static constexpr uint64_t kWindow = 65536;

  Arrival add(uint64_t seq);

  uint64_t received() const noexcept { return received_; }  // duplicates included
  uint64_t unique() const noexcept { return unique_; }
  uint64_t duplicated() const noexcept { return duplicated_; }
  uint64_t reordered() const noexcept { return reordered_; }
  uint64_t gaps() const noexcept { return gaps_; }
  uint64_t lowest() const noexcept { return lowest_; }
  uint64_t highest() const noexcept { return highest_; }
  bool empty() const noexcept { return received_ == 0; }

  // Missing numbers in [base, end): base is 0 when `from_zero` (the sender numbers from 0 and the
  // receiver was there from the start), else the lowest seen; end is max(highest + 1, expected).
  uint64_t lost(bool from_zero, uint64_t expected = 0) const noexcept;

 private:
  bool seen(uint64_t seq) const noexcept;
  void mark(uint64_t seq) noexcept;
  void advance(uint64_t seq) noexcept;

  std::vector<uint64_t> bits_;  // kWindow bits, slot seq % kWindow, for seqs in (highest − kWindow, highest]
  uint64_t received_ = 0, unique_ = 0, duplicated_ = 0, reordered_ = 0, gaps_ = 0;
  uint64_t lowest_ = 0, highest_ = 0;
};

}  // namespace nt::multicast
