// The one validator for numbers on the command line: seconds, rates, whole numbers; after parsing
// and on the option's text through CLI11 (where 1e3 is read as 1000).
#include <doctest/doctest.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "cli/validate.hpp"
#include "sys/error.hpp"

using namespace nt::cli;

namespace {
// Parses `args` against one option; the error message, or "" when accepted.
template <typename T>
std::string parse(T& target, std::vector<std::string> args, const std::function<void(CLI::Option*)>& rule) {
  CLI::App app;
  rule(app.add_option("--opt", target));
  std::reverse(args.begin(), args.end());
  try {
    app.parse(args);
    return "";
  } catch (const CLI::ParseError& e) {
    return without_option_prefix(e.what());
  }
}
}  // namespace

TEST_CASE("seconds: finite, in range, the message names option, input and unit") {
  CHECK(check_seconds("--timeout", 1.5, {0, 10}) == std::chrono::milliseconds(1500));
  CHECK(check_seconds("--timeout", 0, {0, 10}) == std::chrono::nanoseconds(0));
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  const std::pair<double, const char*> bad[] = {
      {nan, "invalid --timeout 'nan': expected seconds more than 0, up to 10"},
      {inf, "invalid --timeout 'inf': expected seconds more than 0, up to 10"},
      {-inf, "invalid --timeout '-inf': expected seconds more than 0, up to 10"},
      {0, "invalid --timeout '0': expected seconds more than 0, up to 10"},
      {-1, "invalid --timeout '-1': expected seconds more than 0, up to 10"},
      {10.5, "invalid --timeout '10.5': expected seconds more than 0, up to 10"},
  };
  for (const auto& [value, message] : bad) {
    CAPTURE(value);
    CHECK_THROWS_WITH_AS(check_seconds("--timeout", value, {0, 10, true}), message, nt::UsageError);
  }
  CHECK_THROWS_WITH_AS(check_seconds("interval", -1, {0, 604800}),
                       "invalid interval '-1': expected seconds from 0 to 604800", nt::UsageError);
}

TEST_CASE("rates and whole numbers") {
  CHECK(check_number("--rate", 100, {0, 1e9}, "packets per second") == 100);
  CHECK_THROWS_WITH_AS(check_number("--rate", -1, {0, 1e9}, "packets per second"),
                       "invalid --rate '-1': expected packets per second from 0 to 1000000000",
                       nt::UsageError);
  CHECK(check_whole("--retries", 20, 0, 20) == 20);
  CHECK(check_whole("--count", 1e3, 1, 100000) == 1000);
  CHECK_THROWS_WITH_AS(check_whole("--retries", 21, 0, 20),
                       "invalid --retries '21': expected a whole number from 0 to 20", nt::UsageError);
  CHECK_THROWS_WITH_AS(check_whole("--retries", 1.5, 0, 20),
                       "invalid --retries '1.5': not a whole number (expected 0 to 20)", nt::UsageError);
  CHECK_FALSE(whole_problem(std::nan(""), 0, 20).empty());
}

TEST_CASE("on the option text: 1e3 is 1000, 1.5 is not a whole number, nan and inf refused") {
  int count = 0;
  auto whole = [](CLI::Option* o) { whole_option(o, 1, 100000); };
  CHECK(parse(count, {"--opt", "1e3"}, whole).empty());
  CHECK(count == 1000);
  CHECK(parse(count, {"--opt", "42"}, whole).empty());
  CHECK(count == 42);
  CHECK(parse(count, {"--opt", "1.5"}, whole) ==
        "invalid --opt '1.5': not a whole number (expected 1 to 100000)");
  CHECK(parse(count, {"--opt", "0"}, whole) == "invalid --opt '0': expected a whole number from 1 to 100000");
  CHECK(parse(count, {"--opt", "1e9"}, whole) ==
        "invalid --opt '1e9': expected a whole number from 1 to 100000");
  CHECK(parse(count, {"--opt", "abc"}, whole) ==
        "invalid --opt 'abc': expected a whole number from 1 to 100000");
  double seconds = 0;
  auto secs = [](CLI::Option* o) { seconds_option(o, {0.001, 3600}); };
  CHECK(parse(seconds, {"--opt", "0.5"}, secs).empty());
  CHECK(seconds == 0.5);
  CHECK(parse(seconds, {"--opt", "nan"}, secs) == "invalid --opt 'nan': expected seconds from 0.001 to 3600");
  CHECK(parse(seconds, {"--opt", "inf"}, secs) == "invalid --opt 'inf': expected seconds from 0.001 to 3600");
  CHECK(parse(seconds, {"--opt", "2h"}, secs) == "invalid --opt '2h': not a number of seconds");
  double rate = 0;
  auto per_s = [](CLI::Option* o) { number_option(o, {0, 1e9}, "requests per second"); };
  CHECK(parse(rate, {"--opt=-1"}, per_s) ==
        "invalid --opt '-1': expected requests per second from 0 to 1000000000");
}

TEST_CASE("CLI11's 'NAME: ' prefix is dropped only before our own wording") {
  CHECK(without_option_prefix("--count: invalid --count '0': x") == "invalid --count '0': x");
  CHECK(without_option_prefix("--count: 3 required") == "--count: 3 required");
  CHECK(without_option_prefix("The following argument was not expected: x") ==
        "The following argument was not expected: x");
}
