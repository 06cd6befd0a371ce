// The time server's request check and reply builder: whatever arrives, a reply is never larger than
// max(request, 48) bytes (no amplification), for every protocol.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "subcommands/udp_time/responder.hpp"

using namespace nt::timeproto;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto request = std::as_bytes(std::span(data, size));
  std::array<std::byte, 2048> out{};
  for (Protocol p : {Protocol::sntp, Protocol::daytime, Protocol::time}) {
    ResponderConfig cfg;
    cfg.protocol = p;
    if (check_request(cfg, request, false) != DropReason::none) continue;
    const std::size_t n =
        build_reply(cfg, request, 1'700'000'000'000'000'000, 1'700'000'000'000'100'000, out);
    if (n > std::max<std::size_t>(size, 48)) __builtin_trap();
    if (p == Protocol::sntp && build_kod_rate(request, 1, 2, out) > std::max<std::size_t>(size, 48))
      __builtin_trap();
  }
  return 0;
}
