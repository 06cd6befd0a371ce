// What a TLS client or server is configured with, and the parsers for the command-line forms
// (`--tls-min 1.2|1.3`, `--alpn h2,http/1.1`, `--pin sha256:BASE64`). Parsers throw UsageError.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace nt::tls {

struct ClientConfig {
  std::string ca{};       // CA file or directory; empty: the system store
  bool insecure = false;  // no CA and no name check (a pin, if any, is still checked)
  std::string pin{};      // "sha256:BASE64" public-key pin; empty: none
  int min_version = 0;    // TLS1_2_VERSION or TLS1_3_VERSION; 0: TLS 1.2
  std::vector<std::string> alpn{};
  std::string cert{}, key{};  // client certificate chain and key (PEM); empty: none
};

struct ServerConfig {
  std::string cert{}, key{};  // certificate chain (leaf first) and key, PEM
  std::string client_ca{};    // CA file or directory: require and verify client certificates
  int min_version = 0;
  std::vector<std::string> alpn{};  // protocols the server accepts, in preference order
};

// What one client connection checks: the name for SNI and the certificate check (a DNS name, or an IP
// literal matched against the IP SANs and never sent as SNI — RFC 6066 §3), and the pin.
struct ClientPeer {
  std::string name{};
  std::string pin{};
};

// "1.2" → TLS1_2_VERSION, "1.3" → TLS1_3_VERSION.
int parse_min_version(std::string_view text);
// "h2,http/1.1" → {"h2", "http/1.1"}; each 1..255 bytes (RFC 7301 §3.1).
std::vector<std::string> parse_alpn(std::string_view text);
// ALPN names in the wire form SSL_CTX_set_alpn_protos takes: length-prefixed, concatenated.
std::string alpn_wire(const std::vector<std::string>& names);
// Checks "sha256:BASE64" (32 bytes once decoded) and returns it unchanged.
std::string parse_pin(std::string_view text);

}  // namespace nt::tls
