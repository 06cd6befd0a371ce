// The TLS command-line options (`--tls` and its company) shared by servers and clients (tcp-echo, chat),
// the stream factory they become. The I/O code sees only the factory's streams.
#pragma once
#include <optional>
#include <string>

#include "cli/command.hpp"
#include "net/stream.hpp"
#include "output/record.hpp"

namespace CLI {
class App;
}

namespace nt::tls {

struct TlsServerOptions {
  bool enabled = false;
  std::string cert{}, key{}, client_ca{};
  std::string min_version = "1.2";
  std::string alpn{};
};

struct TlsClientOptions {
  bool enabled = false;
  std::string ca{}, pin{};
  bool insecure = false;
  std::string min_version = "1.2";
  std::string alpn{};
  std::string cert{}, key{};
  std::string servername{};
};

void add_tls_options(CLI::App& app, TlsServerOptions& o);
void add_tls_options(CLI::App& app, TlsClientOptions& o);

// UsageError for a TLS option without --tls, a server without --cert, --key without --cert, and
// malformed --tls-min, --alpn or --pin.
void validate(const TlsServerOptions& o);
void validate(const TlsClientOptions& o);

// The name the client asks for (SNI) and checks the certificate against: --servername, else the host
// part of TARGET without brackets; "" for a unix or abstract target.
std::string expected_name(const TlsClientOptions& o, const std::string& target);

// The client's stream factory (plain without --tls). Loads the CA store, the client certificate: exit
// 3 when they cannot be read. Warns on stderr for --insecure.
net::StreamFactory client_stream_factory(const TlsClientOptions& o, const std::string& target,
                                         cli::Runtime& rt);

// The `tls` record of a client connection; nullopt for a plain stream. `quiet_text`: no text form (pipe
// mode, where stdout in text mode is the echoed data).
std::optional<output::Record> client_tls_record(const net::Stream& stream, const std::string& peer,
                                                bool quiet_text);

}  // namespace nt::tls
