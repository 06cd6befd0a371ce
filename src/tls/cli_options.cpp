#include "tls/cli_options.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "config.h"
#include "net/endpoint.hpp"
#include "sys/clock.hpp"
#include "sys/error.hpp"
#if NETTOOL_HAVE_OPENSSL
#include "tls/config.hpp"
#include "tls/factory.hpp"
#endif

namespace nt::tls {

void add_tls_options(CLI::App& app, TlsServerOptions& o) {
  app.add_flag("--tls", o.enabled, "Speak TLS (needs --cert and --key; SIGHUP reloads them)");
  app.add_option("--cert", o.cert,
                 "TLS: certificate chain, PEM (leaf first; default: none, required with --tls)")
      ->type_name("FILE");
  app.add_option("--key", o.key, "TLS: private key, PEM (default: none, required with --tls)")
      ->type_name("FILE");
  app.add_option("--client-ca", o.client_ca,
                 "TLS: require client certificates signed by this CA (default: none asked)")
      ->type_name("FILE|DIR");
  app.add_option("--tls-min", o.min_version, "TLS: lowest version accepted, 1.2 or 1.3")
      ->capture_default_str()
      ->type_name("V");
  app.add_option("--alpn", o.alpn,
                 "TLS: protocols to accept, in order of preference (comma list; default: none)")
      ->type_name("LIST");
}

void add_tls_options(CLI::App& app, TlsClientOptions& o) {
  app.add_flag("--tls", o.enabled, "Speak TLS, verifying the server against the system CA store");
  app.add_option("--ca", o.ca, "TLS: trust this CA instead of the system store (default: the system store)")
      ->type_name("FILE|DIR");
  app.add_option("--pin", o.pin, "TLS: require this public key (sha256:BASE64 of its SPKI; default: none)")
      ->type_name("PIN");
  app.add_flag("--insecure", o.insecure,
               "TLS: do not verify the certificate chain or name (a pin still holds)");
  app.add_option("--tls-min", o.min_version, "TLS: lowest version accepted, 1.2 or 1.3")
      ->capture_default_str()
      ->type_name("V");
  app.add_option("--alpn", o.alpn, "TLS: protocols to offer (comma list; default: none)")->type_name("LIST");
  app.add_option("--cert", o.cert, "TLS: client certificate chain, PEM (default: none)")->type_name("FILE");
  app.add_option("--key", o.key, "TLS: client private key, PEM (default: none)")->type_name("FILE");
  app.add_option("--servername", o.servername,
                 "TLS: name to send (SNI) and verify instead of TARGET's host (default: TARGET's host)")
      ->type_name("NAME");
}

namespace {

void refuse_without_tls(bool enabled, bool given, const char* option) {
  if (!enabled && given) throw UsageError(fmt::format("{} needs --tls", option));
}

void check_common(const std::string& min_version, const std::string& alpn) {
#if NETTOOL_HAVE_OPENSSL
  (void)tls::parse_min_version(min_version);
  if (!alpn.empty()) (void)tls::parse_alpn(alpn);
#else
  (void)min_version;
  (void)alpn;
  throw RuntimeError("--tls: this nettool was built without OpenSSL");
#endif
}

}  // namespace

void validate(const TlsServerOptions& o) {
  refuse_without_tls(o.enabled, !o.cert.empty(), "--cert");
  refuse_without_tls(o.enabled, !o.key.empty(), "--key");
  refuse_without_tls(o.enabled, !o.client_ca.empty(), "--client-ca");
  refuse_without_tls(o.enabled, o.min_version != "1.2", "--tls-min");
  refuse_without_tls(o.enabled, !o.alpn.empty(), "--alpn");
  if (!o.enabled) return;
  if (o.cert.empty()) throw UsageError("--tls needs --cert FILE (and --key FILE unless the key is in it)");
  check_common(o.min_version, o.alpn);
}

void validate(const TlsClientOptions& o) {
  refuse_without_tls(o.enabled, !o.ca.empty(), "--ca");
  refuse_without_tls(o.enabled, !o.pin.empty(), "--pin");
  refuse_without_tls(o.enabled, o.insecure, "--insecure");
  refuse_without_tls(o.enabled, o.min_version != "1.2", "--tls-min");
  refuse_without_tls(o.enabled, !o.alpn.empty(), "--alpn");
  refuse_without_tls(o.enabled, !o.cert.empty(), "--cert");
  refuse_without_tls(o.enabled, !o.key.empty(), "--key");
  refuse_without_tls(o.enabled, !o.servername.empty(), "--servername");
  if (!o.enabled) return;
  if (!o.key.empty() && o.cert.empty()) throw UsageError("--key needs --cert");
  check_common(o.min_version, o.alpn);
#if NETTOOL_HAVE_OPENSSL
  if (!o.pin.empty()) (void)tls::parse_pin(o.pin);
#endif
}

std::string expected_name(const TlsClientOptions& o, const std::string& target) {
  if (!o.servername.empty()) return o.servername;
  net::EndpointRules rules;
  rules.require_port = false;
  const net::Endpoint ep = net::parse_endpoint(target, rules);
  if (ep.kind == net::Endpoint::Kind::unix_path || ep.kind == net::Endpoint::Kind::abstract) return "";
  return ep.host;
}

net::StreamFactory client_stream_factory(const TlsClientOptions& o, const std::string& target,
                                         cli::Runtime& rt) {
  if (!o.enabled) return net::plain_stream;
#if NETTOOL_HAVE_OPENSSL
  if (o.insecure) {
    rt.warn(o.pin.empty()
                ? "warning: --insecure: the server's certificate is not verified"
                : "warning: --insecure: only the pin is checked, not the certificate chain or name");
  }
  tls::ClientConfig config{.ca = o.ca,
                           .insecure = o.insecure,
                           .pin = o.pin,
                           .min_version = tls::parse_min_version(o.min_version),
                           .alpn = o.alpn.empty() ? std::vector<std::string>{} : tls::parse_alpn(o.alpn),
                           .cert = o.cert,
                           .key = o.key};
  return tls::client_factory(tls::make_client_context(config),
                             {.name = expected_name(o, target), .pin = o.pin});
#else
  (void)target;
  (void)rt;
  throw RuntimeError("--tls: this nettool was built without OpenSSL");
#endif
}

std::optional<output::Record> client_tls_record(const net::Stream& stream, const std::string& peer,
                                                bool quiet_text) {
#if NETTOOL_HAVE_OPENSSL
  auto info = tls::info_of(stream);
  if (!info) return std::nullopt;
  output::Record rec = info->to_record({{"time", sys::now_rfc3339()}, {"peer", peer}});
  if (quiet_text) rec.text.clear();
  return rec;
#else
  (void)stream;
  (void)peer;
  (void)quiet_text;
  return std::nullopt;
#endif
}

}  // namespace nt::tls
