// TLS as a stream factory: the stream server and the clients take one, so the I/O code never asks
// whether it talks TLS. The server's factory reads the context current at accept time, so a reload
// (SIGHUP) applies to new connections while old ones keep theirs.
#pragma once
#include <memory>
#include <optional>

#include "net/stream.hpp"
#include "tls/config.hpp"
#include "tls/context.hpp"
#include "tls/info.hpp"

namespace nt::tls {

// Client sessions checking `peer` (the name for SNI and the certificate, and the pin).
net::StreamFactory client_factory(SharedCtx ctx, ClientPeer peer);
// Server sessions from `ctx.current()`; `ctx` must outlive the factory's use.
net::StreamFactory server_factory(const ServerContext& ctx);

// The connection info of a TLS stream whose handshake is done; nullopt for any other stream.
std::optional<ConnectionInfo> info_of(const net::Stream& stream);

}  // namespace nt::tls
