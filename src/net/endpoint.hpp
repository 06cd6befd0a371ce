// Parsing what users type as an address: host:port, [v6]:port, bare host or port where allowed,
// unix:/path, @abstract. Malformed input throws UsageError with a message naming the input.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nt::net {

struct Endpoint {
  enum class Kind { inet, unix_path, abstract };
  Kind kind = Kind::inet;
  std::string host;  // inet: name or literal without brackets (may be empty when allowed); else path/name
  uint16_t port = 0;
  bool has_port = false;

  bool operator==(const Endpoint&) const = default;
};

struct EndpointRules {
  bool require_port = true;       // "host" alone is an error
  bool allow_empty_host = false;  // ":8080" (listen on any) allowed
  bool allow_port_only = false;   // "8080" alone means port 8080 on the empty host
  bool allow_local = true;        // unix:/path and @name allowed
  std::optional<uint16_t> default_port;  // used when the port is absent
};

// Throws UsageError("invalid address 'X': <problem>").
Endpoint parse_endpoint(std::string_view text, const EndpointRules& rules = {});

// A port number 0..65535 in decimal. Throws UsageError("invalid port 'X': <problem>").
uint16_t parse_port(std::string_view text);

// True for a syntactically valid host: an IPv4 dotted quad, an IPv6 literal (optionally with %scope)
// or a DNS name (letters, digits, '-', '.', '_'; labels ≤ 63). "1.2.3" is not valid: it looks numeric
// but is not a dotted quad (inet_aton would take it as 1.2.0.3, which nobody means).
bool valid_host(std::string_view host, std::string* problem = nullptr);

}  // namespace nt::net
