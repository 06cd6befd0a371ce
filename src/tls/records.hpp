// TLS records beside the `tls` record itself (src/tls/info.hpp): a failed handshake on
// the server, and a SIGHUP reload of the certificate and key.
#pragma once
#include <string>

#include "output/record.hpp"

namespace nt::tls {

struct HandshakeFailedEvent {
  std::string peer;
  std::string reason;  // "peer spoke plaintext, not TLS (…)", "TLS handshake timed out …", …
  output::Record to_record() const;
};

struct ReloadEvent {
  std::string cert;
  bool ok = false;
  std::string error;  // why the old certificate stays, when !ok
  output::Record to_record() const;
};

}  // namespace nt::tls
