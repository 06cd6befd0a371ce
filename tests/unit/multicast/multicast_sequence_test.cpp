// Sequence accounting: in order, gaps, reordering, duplicates, the window's edge, loss ranges.
#include <doctest/doctest.h>

#include <string>

#include "subcommands/multicast/sequence.hpp"

using namespace nt::multicast;

TEST_CASE("in order: nothing lost") {
  SequenceTracker t;
  CHECK(t.add(0) == Arrival::first);
  for (uint64_t s = 1; s < 100; ++s) CHECK(t.add(s) == Arrival::in_order);
  CHECK(t.received() == 100);
  CHECK(t.unique() == 100);
  CHECK(t.lost(false) == 0);
  CHECK(t.lost(true, 100) == 0);
  CHECK(t.gaps() == 0);
}

TEST_CASE("a gap, then the missing one arrives late") {
  SequenceTracker t;
  t.add(0);
  t.add(1);
  CHECK(t.add(4) == Arrival::gap);  // 2 and 3 missing
  CHECK(t.lost(false) == 2);
  CHECK(t.add(2) == Arrival::reordered);
  CHECK(t.lost(false) == 1);
  CHECK(t.add(2) == Arrival::duplicate);
  CHECK(t.add(4) == Arrival::duplicate);
  CHECK(t.received() == 6);
  CHECK(t.unique() == 4);
  CHECK(t.duplicated() == 2);
  CHECK(t.reordered() == 1);
  CHECK(t.gaps() == 1);
  CHECK(t.highest() == 4);
}

TEST_CASE("loss from the first seen, or from 0 through --expect") {
  SequenceTracker t;
  t.add(5);
  t.add(6);
  t.add(8);
  CHECK(t.lost(false) == 1);     // 7
  CHECK(t.lost(true) == 6);      // 0-4 and 7
  CHECK(t.lost(true, 12) == 9);  // and 9-11 at the end
  CHECK(t.add(3) == Arrival::reordered);
  CHECK(t.lowest() == 3);
  CHECK(t.lost(false) == 2);  // 4 and 7
  SequenceTracker empty;
  CHECK(empty.lost(true, 10) == 10);
  CHECK(empty.lost(false) == 0);
}

TEST_CASE("the duplicate window slides; older numbers are too_old") {
  SequenceTracker t;
  t.add(0);
  t.add(SequenceTracker::kWindow + 10);  // slots wrap: 10's slot must not look seen
  CHECK(t.add(10) == Arrival::too_old);
  CHECK(t.add(SequenceTracker::kWindow + 9) == Arrival::reordered);
  CHECK(t.add(SequenceTracker::kWindow + 9) == Arrival::duplicate);
  t.add(5 * SequenceTracker::kWindow);  // a jump beyond the window clears it
  CHECK(t.add(5 * SequenceTracker::kWindow - 1) == Arrival::reordered);
  CHECK(t.gaps() == 2);
}

TEST_CASE("a huge jump does not loop or overflow") {
  SequenceTracker t;
  t.add(0);
  CHECK(t.add(UINT64_MAX - 1) == Arrival::gap);
  CHECK(t.add(UINT64_MAX - 2) == Arrival::reordered);
  CHECK(t.add(1) == Arrival::too_old);
}

TEST_CASE("arrival names") {
  CHECK(std::string(arrival_name(Arrival::duplicate)) == "duplicate");
  CHECK(std::string(arrival_name(Arrival::too_old)) == "too_old");
}
