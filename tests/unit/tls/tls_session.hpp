// Two TLS streams over a non-blocking socketpair, driven alternately in one thread (no network).
#pragma once
#include <memory>
#include <string>
#include <utility>

#include "tls/context.hpp"
#include "tls/stream.hpp"

namespace nt::tls::testing {

struct Session {
  std::unique_ptr<TlsStream> client, server;
  net::IoResult client_result, server_result;
};

// Connects a client (checking `name`, `pin`) to a server and drives both handshakes until neither
// waits (bounded); the results say how each side ended.
Session handshake(const SharedCtx& client_ctx, const SharedCtx& server_ctx,
                  const std::string& name = "localhost", const std::string& pin = "");

// Writes `data` on one side and reads it on the other (both driven, bounded); returns what arrived.
std::string transfer(TlsStream& from, TlsStream& to, const std::string& data);

// The verified client context and the server context of the test PKI's good server certificate.
SharedCtx trusting_client(ClientConfig config = {});
SharedCtx server_with(const std::string& cert_file, const std::string& key_file, ServerConfig config = {});

}  // namespace nt::tls::testing
