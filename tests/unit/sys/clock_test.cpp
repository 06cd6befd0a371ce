#include <doctest/doctest.h>

#include <ctime>

#include "sys/clock.hpp"

TEST_CASE("rfc3339: UTC to the microsecond; the cached date and time of day follow the second") {
  using nt::sys::rfc3339;
  CHECK(rfc3339(timespec{1796194836, 708784391}) == "2026-12-02T07:00:36.708784Z");
  CHECK(rfc3339(timespec{1796194836, 5000}) == "2026-12-02T07:00:36.000005Z");  // same second
  CHECK(rfc3339(timespec{1796194837, 0}) == "2026-12-02T07:00:37.000000Z");
  CHECK(rfc3339(timespec{0, 999999999}) == "1970-01-01T00:00:00.999999Z");
  CHECK(rfc3339(timespec{1796194836, 1000}) == "2026-12-02T07:00:36.000001Z");  // back again
}
