// A TLS server's context (reloaded on SIGHUP by a watcher thread, new connections get the
// new certificate, open ones keep theirs), the stream factory the core server takes, and the records.
#pragma once
#include <memory>
#include <optional>

#include "cli/command.hpp"
#include "net/stream.hpp"
#include "output/record.hpp"
#include "tls/cli_options.hpp"

namespace nt::tls {

class ServerTls {
 public:
  // Loads certificate and key (exit 3 naming the file when they do not load). Without --tls: plain.
  // Blocks SIGHUP in the calling thread (and the threads it starts later) when TLS is on.
  ServerTls(const TlsServerOptions& opts, cli::Runtime& rt);
  ~ServerTls();
  ServerTls(const ServerTls&) = delete;
  ServerTls& operator=(const ServerTls&) = delete;

  net::StreamFactory factory() const;
  // The `tls` record of a connection whose stream is TLS; nullopt for a plain one.
  std::optional<output::Record> record_for(const net::Stream& stream, uint64_t conn_id,
                                           const std::string& peer) const;
  // Starts reloading on SIGHUP (a reload record each time); stops in the destructor.
  void reload_on_sighup();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nt::tls
