// What one TLS connection negotiated and whom it talks to: the `tls` record.
#pragma once
#include <optional>
#include <string>

#include "output/record.hpp"
#include "tls/certificate.hpp"

namespace nt::tls {

struct ConnectionInfo {
  std::string version;  // TLSv1.3
  std::string cipher;   // TLS_AES_256_GCM_SHA384
  std::string alpn;     // "" when none was agreed
  std::optional<CertificateInfo> peer;
  std::string verify;  // "ok", the reason it failed, or "not checked (…)"
  double handshake_ms = 0;

  // type "tls"; `fields` (e.g. conn_id, peer address) come first after the type.
  output::Record to_record(const output::Json& fields = output::Json::object()) const;
};

}  // namespace nt::tls
