// TLS contexts built from a configuration: the client's (verifying by default against the system CA
// store) and the server's, which a reload (SIGHUP) replaces while sessions keep the one they began with.
#pragma once
#include <memory>

#include "tls/config.hpp"
#include "tls/handles.hpp"

namespace nt::tls {

// Throw tls::Error (or UsageError for an unreadable file) naming the file and the reason.
SharedCtx make_client_context(const ClientConfig& config);
SharedCtx make_server_context(const ServerConfig& config);

class ServerContext {
 public:
  explicit ServerContext(ServerConfig config)
      : config_(std::move(config)), ctx_(make_server_context(config_)) {}

  // The context new connections use.
  const SharedCtx& current() const noexcept { return ctx_; }

  // Re-reads the certificate and key into a new context; on failure throws and keeps the old one.
  void reload() { ctx_ = make_server_context(config_); }

 private:
  ServerConfig config_;
  SharedCtx ctx_;
};

}  // namespace nt::tls
