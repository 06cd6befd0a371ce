#include "subcommands/multicast/options.hpp"

#include <fmt/format.h>

#include "subcommands/multicast/payload.hpp"
#include "sys/error.hpp"

namespace nt::multicast {

bool parse_on_off(const std::string& option, const std::string& value) {
  if (value == "on" || value == "yes" || value == "1") return true;
  if (value == "off" || value == "no" || value == "0") return false;
  throw UsageError(fmt::format("invalid {} '{}': expected on or off", option, value));
}

void check_send(const SendOptions& o) {
  (void)parse_on_off("--loop", o.loop);
  if (o.size < static_cast<int>(kHeaderSize) || o.size > static_cast<int>(kMaxDatagram)) {
    throw UsageError(fmt::format("invalid --size '{}': expected bytes from {} (the header) to {}", o.size,
                                 kHeaderSize, kMaxDatagram));
  }
}

void check_recv(const RecvOptions& o) {
  if (o.timeout_s && !o.expect) {
    throw UsageError(
        "--timeout needs --expect N (to stop after a fixed time without a verdict, use --duration)");
  }
  if (o.senders && !o.expect) throw UsageError("--senders needs --expect N");
  if (o.broadcast && !o.sources.empty()) {
    throw UsageError(
        "--source selects multicast senders (source-specific join); it does not apply to --broadcast");
  }
}

}  // namespace nt::multicast
