// The one check for numbers given on the command line: durations in seconds, rates, sizes and counts.
// Finite (NaN and infinity refused), in range, and the message names the option, the text and the
// unit: "invalid --timeout 'nan': expected seconds from 0.001 to 3600". Every subcommand uses it,
// either on the option's text as CLI11 reads it (the *_option helpers) or after parsing (check_*).
#pragma once
#include <chrono>
#include <string>
#include <string_view>

namespace CLI {
class Option;
}

namespace nt::cli {

struct Limits {
  double min = 0;
  double max = 0;
  bool above_min = false;  // min itself is refused: "more than 0" (a timeout of 0 waits for nothing)
};

// What is wrong with `value` as a quantity in `unit` ("seconds", "packets per second"), or "".
std::string number_problem(double value, const Limits& limits, std::string_view unit);
// Whole numbers: 1e3 is 1000; 1.5 is "not a whole number".
std::string whole_problem(double value, long long min, long long max);

// After parsing: the value, or UsageError "invalid OPTION 'VALUE': PROBLEM".
double check_number(std::string_view option, double value, const Limits& limits, std::string_view unit);
std::chrono::nanoseconds check_seconds(std::string_view option, double value, const Limits& limits);
long long check_whole(std::string_view option, double value, long long min, long long max);

// While parsing: the same checks on the option's text (a ValidationError with the same wording).
// whole_option rewrites "1e3" to "1000" so CLI11 can convert it into an integer.
CLI::Option* seconds_option(CLI::Option* opt, const Limits& limits);
CLI::Option* number_option(CLI::Option* opt, const Limits& limits, std::string unit);
CLI::Option* whole_option(CLI::Option* opt, long long min, long long max);

// CLI11 prefixes a validator's message with the option's name; ours already names it.
std::string without_option_prefix(std::string_view message);

}  // namespace nt::cli
