#include "subcommands/tcp_echo/options.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <utility>

#include "cli/validate.hpp"
#include "sys/error.hpp"

namespace nt::tcp_echo {

namespace {

[[noreturn]] void invalid(std::string_view what, std::string_view value, std::string_view problem) {
  throw UsageError(fmt::format("invalid {} '{}': {}", what, value, problem));
}

std::size_t multiplier_of(std::string_view suffix) {
  if (suffix.empty() || suffix == "B") return 1;
  if (suffix == "K" || suffix == "k" || suffix == "KiB") return std::size_t{1} << 10;
  if (suffix == "M" || suffix == "MiB") return std::size_t{1} << 20;
  if (suffix == "G" || suffix == "GiB") return std::size_t{1} << 30;
  return 0;
}

void check_seconds(std::string_view option, double value, bool allow_zero) {
  cli::check_seconds(option, value, {0, 1e6, !allow_zero});
}

void check_range(std::string_view option, long long value, long long lo, long long hi) {
  cli::check_whole(option, static_cast<double>(value), lo, hi);
}

// Silently ignoring them would make `--connections 100` without --bench look like a load test.
void refuse_load_options(const ClientOptions& o) {
  for (auto [given, name] :
       {std::pair{o.connections.has_value(), "--connections"},
        std::pair{o.duration_s.has_value(), "--duration"}, std::pair{o.pipeline.has_value(), "--pipeline"}}) {
    if (given) throw UsageError(fmt::format("{} needs --bench (it only applies to load mode)", name));
  }
}

}  // namespace

std::size_t parse_size(std::string_view text, std::string_view what) {
  uint64_t number = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, number);
  if (ptr == text.data()) invalid(what, text, "expected a number of bytes such as 4096, 64K or 1M");
  if (ec == std::errc::result_out_of_range) invalid(what, text, "too large");
  std::size_t mult = multiplier_of(std::string_view(ptr, static_cast<std::size_t>(end - ptr)));
  if (mult == 0) invalid(what, text, "unknown unit (use K, M or G)");
  if (number > std::numeric_limits<uint64_t>::max() / mult) invalid(what, text, "too large");
  return static_cast<std::size_t>(number * mult);
}

ClientMode choose_mode(const ClientOptions& o, bool stdin_is_tty) {
  bool probe = o.count || o.interval_s;
  int asked = int(o.bench) + int(!o.bulk.empty()) + int(o.force_stdin) + int(probe);
  if (asked > 1) {
    throw UsageError("choose one client mode: --stdin, --count/--interval, --bench or --bulk");
  }
  if (o.bench) return ClientMode::load;
  if (!o.bulk.empty()) return ClientMode::bulk;
  if (o.force_stdin) return ClientMode::pipe;
  if (probe || !o.size.empty()) return ClientMode::probe;
  return stdin_is_tty ? ClientMode::probe : ClientMode::pipe;
}

void validate(const ServerOptions& o) {
  check_range("--max-clients", static_cast<long long>(o.max_clients), 1, kMaxConnections);
  check_range("--max-per-ip", static_cast<long long>(o.max_per_ip), 0, kMaxConnections);
  check_seconds("--idle-timeout", o.idle_timeout_s, true);
  check_range("--threads", o.threads, 1, kMaxThreads);
  validate(o.tls);
}

void validate(const ClientOptions& o, ClientMode mode) {
  check_seconds("--timeout", o.timeout_s, false);
  validate(o.tls);
  if (o.count) check_range("--count", *o.count, 1, 100'000'000);
  if (o.interval_s) check_seconds("--interval", *o.interval_s, true);
  if (!o.size.empty()) {
    std::size_t size = parse_size(o.size, "--size");
    if (size < 1 || size > kMaxMessageSize) {
      invalid("--size", o.size, fmt::format("must be between 1 byte and {} bytes", kMaxMessageSize));
    }
  }
  if (mode == ClientMode::load) {
    if (o.connections) check_range("--connections", *o.connections, 1, kMaxConnections);
    if (o.pipeline) check_range("--pipeline", *o.pipeline, 1, kMaxPipeline);
    if (o.duration_s) check_seconds("--duration", *o.duration_s, false);
  } else {
    refuse_load_options(o);
  }
  if (mode == ClientMode::pipe && !o.size.empty()) {
    throw UsageError("--size does not apply to --stdin: pipe mode sends standard input as it comes");
  }
  if (mode == ClientMode::bulk && parse_size(o.bulk, "--bulk") == 0)
    invalid("--bulk", o.bulk, "must be at least 1 byte");
}

}  // namespace nt::tcp_echo
