// The daytime client's parser (RFC 867 replies come in many formats).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "subcommands/udp_time/daytime.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)nt::timeproto::parse_daytime(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
