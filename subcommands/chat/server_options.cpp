#include "subcommands/chat/server_options.hpp"

#include "cli/validate.hpp"

namespace nt::chat {

namespace {
void check_range(std::string_view option, std::size_t value, double lo, double hi) {
  cli::check_whole(option, static_cast<double>(value), static_cast<long long>(lo),
                   static_cast<long long>(hi));
}
}  // namespace

void validate(const ServerOptions& o) {
  check_range("--max-clients", o.max_clients, 1, 1'000'000);
  check_range("--max-per-ip", o.max_per_ip, 0, 1'000'000);
  check_range("--max-line", o.max_line, 64, 16 << 20);
  check_range("--max-queue", o.max_queue, 4096, 1 << 30);
  check_range("--max-announce", o.max_announce, 0, 1'000'000);
  cli::check_number("--rate", o.rate, {0, 1e6, false}, "messages per second");
  cli::check_number("--burst", o.burst, {1, 1e6, false}, "messages");
  cli::check_seconds("--heartbeat", o.heartbeat_s, {0, 86400, false});
  cli::check_seconds("--idle-timeout", o.idle_timeout_s, {0, 86400, false});
  cli::check_seconds("--stats-interval", o.stats_interval_s, {0, 86400, false});
  tls::validate(o.tls);
}

}  // namespace nt::chat
