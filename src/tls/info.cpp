#include "tls/info.hpp"

#include <fmt/format.h>

namespace nt::tls {

output::Record ConnectionInfo::to_record(const output::Json& fields) const {
  output::Record rec("tls");
  for (const auto& [key, value] : fields.items()) rec.set(key, value);
  rec.set("version", version).set("cipher", cipher).set("alpn", alpn);
  if (peer) {
    rec.set("subject", peer->subject)
        .set("issuer", peer->issuer)
        .set("sans", peer->sans)
        .set("not_after", peer->not_after)
        .set("sha256_fingerprint", peer->sha256_fingerprint)
        .set("pin", peer->pin);
  }
  rec.set("verify", verify).set("handshake_ms", handshake_ms);
  std::string text = fmt::format("tls {} {}", version, cipher);
  if (!alpn.empty()) text += fmt::format(" alpn {}", alpn);
  if (peer) text += fmt::format(", peer '{}' issued by '{}', {}", peer->subject, peer->issuer, peer->pin);
  text += fmt::format(", verify {}, handshake {:.2f} ms", verify, handshake_ms);
  return std::move(rec.with_text(std::move(text)));
}

}  // namespace nt::tls
