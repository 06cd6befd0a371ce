// TLS contexts built from a configuration: the client's (verifying by default against the system CA
// store) and the server's, which a reload (SIGHUP) replaces while sessions keep the one they began with.
#pragma once
#include <memory>
#include <mutex>

#include "tls/config.hpp"
#include "tls/handles.hpp"

namespace nt::tls {

// Throw tls::Error (or UsageError for an unreadable file) naming the file and the reason.
SharedCtx make_client_context(const ClientConfig& config);
SharedCtx make_server_context(const ServerConfig& config);

// The server's context, shared by every event loop's thread: a reload swaps it under a lock taken
// once per accepted connection.
class ServerContext {
 public:
  explicit ServerContext(ServerConfig config)
      : config_(std::move(config)), ctx_(make_server_context(config_)) {}

  // The context new connections use.
  SharedCtx current() const {
    std::lock_guard lock(mu_);
    return ctx_;
  }

  // Re-reads the certificate and key into a new context; on failure throws and keeps the old one.
  void reload() {
    SharedCtx fresh = make_server_context(config_);
    std::lock_guard lock(mu_);
    ctx_ = std::move(fresh);
  }

  const ServerConfig& config() const noexcept { return config_; }

 private:
  ServerConfig config_;
  mutable std::mutex mu_;
  SharedCtx ctx_;
};

}  // namespace nt::tls
