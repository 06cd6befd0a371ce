// The SNTP client's reply check (RFC 4330 §5): any bytes give a verdict, never a crash.
#include <cstddef>
#include <cstdint>
#include <span>

#include "subcommands/udp_time/sntp_validate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto reply = std::as_bytes(std::span(data, size));
  nt::timeproto::NtpTimestamp sent{};
  const auto checked = nt::timeproto::check_reply(reply, sent);
  (void)nt::timeproto::verdict_name(checked.verdict);
  return 0;
}
