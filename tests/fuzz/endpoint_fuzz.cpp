// What users type as an address (host:port, [v6]:port, unix:/path, @name) under every rule set.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "net/endpoint.hpp"
#include "sys/error.hpp"

// The first byte picks one of the 16 rule sets (libFuzzer mutates it like any other): parsing the
// text under all 16 each time threw 16 exceptions per input and ran at ~500 inputs/s.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const unsigned rules = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  nt::net::EndpointRules r;
  r.require_port = rules & 1;
  r.allow_empty_host = rules & 2;
  r.allow_port_only = rules & 4;
  r.allow_local = rules & 8;
  try {
    (void)nt::net::parse_endpoint(text, r);
  } catch (const nt::UsageError&) {
  }
  if (rules & 16) {
    try {
      (void)nt::net::parse_port(text);
    } catch (const nt::UsageError&) {
    }
  }
  if (rules & 32) (void)nt::net::valid_host(text);
  return 0;
}
