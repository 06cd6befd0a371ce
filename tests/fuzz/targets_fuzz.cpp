// Scan targets without DNS: literals, CIDR blocks and ranges, v4 and v6. Either a UsageError or ranges
// whose first address is not after their last.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "subcommands/portscan/targets.hpp"
#include "sys/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view spec(reinterpret_cast<const char*>(data), size);
  try {
    (void)nt::scan::parse_numeric_target(spec);
  } catch (const nt::UsageError&) {
  }
  return 0;
}
