#include "cli/validate.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <charconv>
#include <cmath>
#include <optional>

#include "sys/clock.hpp"
#include "sys/error.hpp"

namespace nt::cli {

namespace {

// The whole text as a number (from_chars reads "nan", "inf" and "1e3" too), or nothing.
std::optional<double> to_number(std::string_view text) {
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ptr != end || ec == std::errc::invalid_argument) return std::nullopt;
  if (ec == std::errc::result_out_of_range) return HUGE_VAL;  // far out of every range
  return value;
}

std::string invalid(std::string_view option, std::string_view text, std::string_view problem) {
  return fmt::format("invalid {} '{}': {}", option, text, problem);
}

std::string shown(double value) {
  return fmt::format("{}", value);
}

}  // namespace

std::string number_problem(double value, const Limits& limits, std::string_view unit) {
  const bool low = limits.above_min ? !(value > limits.min) : !(value >= limits.min);
  if (std::isfinite(value) && !low && value <= limits.max) return "";
  if (limits.above_min)
    return fmt::format("expected {} more than {}, up to {}", unit, limits.min, limits.max);
  return fmt::format("expected {} from {} to {}", unit, limits.min, limits.max);
}

std::string whole_problem(double value, long long min, long long max) {
  if (std::isfinite(value) && value != std::floor(value))
    return fmt::format("not a whole number (expected {} to {})", min, max);
  const bool in_range = value >= static_cast<double>(min) && value <= static_cast<double>(max);
  if (std::isfinite(value) && in_range) return "";
  return fmt::format("expected a whole number from {} to {}", min, max);
}

double check_number(std::string_view option, double value, const Limits& limits, std::string_view unit) {
  if (auto problem = number_problem(value, limits, unit); !problem.empty())
    throw UsageError(invalid(option, shown(value), problem));
  return value;
}

std::chrono::nanoseconds check_seconds(std::string_view option, double value, const Limits& limits) {
  return sys::from_seconds(check_number(option, value, limits, "seconds"));
}

long long check_whole(std::string_view option, double value, long long min, long long max) {
  if (auto problem = whole_problem(value, min, max); !problem.empty())
    throw UsageError(invalid(option, shown(value), problem));
  return static_cast<long long>(value);
}

CLI::Option* number_option(CLI::Option* opt, const Limits& limits, std::string unit) {
  const std::string name = opt->get_name();
  return opt->check(CLI::Validator(
      [name, limits, unit](std::string& text) {
        auto value = to_number(text);
        if (!value) return invalid(name, text, fmt::format("not a number of {}", unit));
        auto problem = number_problem(*value, limits, unit);
        return problem.empty() ? problem : invalid(name, text, problem);
      },
      fmt::format("{} in [{} - {}]", unit, limits.min, limits.max)));
}

CLI::Option* seconds_option(CLI::Option* opt, const Limits& limits) {
  return number_option(opt, limits, "seconds");
}

CLI::Option* whole_option(CLI::Option* opt, long long min, long long max) {
  const std::string name = opt->get_name();
  return opt->transform(CLI::Validator(
      [name, min, max](std::string& text) {
        auto value = to_number(text);
        if (!value)
          return invalid(name, text, fmt::format("expected a whole number from {} to {}", min, max));
        if (auto problem = whole_problem(*value, min, max); !problem.empty())
          return invalid(name, text, problem);
        text = std::to_string(static_cast<long long>(*value));
        return std::string();
      },
      fmt::format("INT in [{} - {}]", min, max)));
}

std::string without_option_prefix(std::string_view message) {
  // "--count: invalid --count '0': …" → "invalid --count '0': …"
  const auto colon = message.find(": invalid ");
  if (colon == std::string_view::npos || message.find(' ') < colon) return std::string(message);
  return std::string(message.substr(colon + 2));
}

}  // namespace nt::cli
