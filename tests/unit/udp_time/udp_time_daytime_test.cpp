// Daytime text both ways, and the client's retry backoff.
#include <doctest/doctest.h>

#include "subcommands/udp_time/backoff.hpp"
#include "subcommands/udp_time/daytime.hpp"
#include "subcommands/udp_time/ntp_time.hpp"

using namespace nt::timeproto;
using std::chrono::milliseconds;

namespace {
constexpr int64_t k2026 = int64_t{1795586847} * kNsPerS;  // Wed Nov 25 06:07:27 2026
}

TEST_CASE("Daytime formats: ctime (default) and RFC 3339") {
  CHECK(format_daytime(k2026 + 5, DaytimeStyle::ctime) == "Wed Nov 25 06:07:27 2026\r\n");
  CHECK(format_daytime(k2026 - 20 * 86400 * kNsPerS, DaytimeStyle::ctime) == "Thu Nov  5 06:07:27 2026\r\n");
  CHECK(format_daytime(k2026 + 123456789, DaytimeStyle::iso) == "2026-11-25T06:07:27.123456Z\r\n");
  CHECK(format_daytime(kEra1StartUnixNs, DaytimeStyle::ctime).size() <= kDaytimeMaxReply);
}

TEST_CASE("Parsing what daytime servers send") {
  CHECK(parse_daytime("Wed Nov 25 06:07:27 2026\r\n") == k2026);
  CHECK(parse_daytime("Wed Nov 25 06:07:27 2026 UTC") == k2026);
  CHECK(parse_daytime("  Thu Nov  5 06:07:27 2026") == k2026 - 20 * 86400 * kNsPerS);
  CHECK(parse_daytime("2026-11-25T06:07:27Z") == k2026);
  CHECK(parse_daytime("2026-11-25T06:07:27.5Z") == k2026 + kNsPerS / 2);
  CHECK(parse_daytime("2026-11-25T07:07:27+01:00") == k2026);
  CHECK(parse_daytime("2036-02-07T06:28:16Z") == kEra1StartUnixNs);
  for (const char* bad :
       {"", "hello", "Wed Foo 25 06:07:27 2026", "Wed Nov 25 06:07:27 2026 PST", "2026-13-25T06:07:27Z",
        "2026-11-25T06:07:27", "2026-11-25T25:07:27Z", "2026-11-25T06:07:27+1:00", "2026-11-25T06:-0:27Z",
        "2026-11-25T+6:07:27Z", "Wed Nov 25 06:07:27 99999999999999999999",
        "Wed Nov 99999999999999999999 06:07:27 2026"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_daytime(bad));
  }
}

TEST_CASE("Backoff doubles up to the cap, with jitter in the upper half") {
  auto base = milliseconds(100), cap = milliseconds(1000);
  CHECK(backoff_delay(0, base, cap, 0.0) == milliseconds(50));
  CHECK(backoff_delay(0, base, cap, 1.0) == milliseconds(100));
  CHECK(backoff_delay(1, base, cap, 0.0) == milliseconds(100));
  CHECK(backoff_delay(3, base, cap, 0.5) == milliseconds(600));  // 800: 400 + 200
  CHECK(backoff_delay(10, base, cap, 1.0) == cap);
  CHECK(backoff_delay(1000, base, cap, 0.0) == milliseconds(500));  // no overflow
}
