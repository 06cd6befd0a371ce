// What users type as an address (host:port, [v6]:port, unix:/path, @name) under every rule set.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "net/endpoint.hpp"
#include "sys/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (int rules = 0; rules < 16; ++rules) {
    nt::net::EndpointRules r;
    r.require_port = rules & 1;
    r.allow_empty_host = rules & 2;
    r.allow_port_only = rules & 4;
    r.allow_local = rules & 8;
    try {
      (void)nt::net::parse_endpoint(text, r);
    } catch (const nt::UsageError&) {
    }
  }
  try {
    (void)nt::net::parse_port(text);
  } catch (const nt::UsageError&) {
  }
  (void)nt::net::valid_host(text);
  return 0;
}
