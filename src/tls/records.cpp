#include "tls/records.hpp"

#include <fmt/format.h>

#include "sys/clock.hpp"

namespace nt::tls {

using output::Record;
using output::Tone;

Record HandshakeFailedEvent::to_record() const {
  Record rec("handshake_failed");
  rec.set("time", sys::now_rfc3339()).set("peer", peer).set("reason", reason);
  rec.as_event();  // one per failed client: bounded in a json-mode server's document
  return std::move(rec.with_text(fmt::format("{}: TLS handshake failed: {}", peer, reason), Tone::warn));
}

Record ReloadEvent::to_record() const {
  Record rec("reload");
  rec.set("time", sys::now_rfc3339()).set("cert", cert).set("ok", ok);
  if (!ok) rec.set("error", error);
  std::string text = ok ? fmt::format("reloaded certificate {}", cert)
                        : fmt::format("reload failed, keeping the old certificate: {}", error);
  return std::move(rec.with_text(std::move(text), ok ? Tone::good : Tone::bad).essential());
}

}  // namespace nt::tls
