#include "tls/context.hpp"

#include <fmt/format.h>
#include <openssl/err.h>
#include <sys/stat.h>

#include "sys/error.hpp"
#include "tls/error.hpp"
#include "tls/openssl_loader.hpp"
#include "tls/verify.hpp"

namespace nt::tls {
namespace {

SslCtxPtr new_context(const SSL_METHOD* method, int min_version) {
  SslCtxPtr ctx(SSL_CTX_new(method));
  if (!ctx) throw_tls("creating the TLS context");
  if (SSL_CTX_set_min_proto_version(ctx.get(), min_version ? min_version : TLS1_2_VERSION) != 1)
    throw_tls("setting the minimum TLS version");
  // TLS 1.3 key updates only: renegotiation (TLS <= 1.2) is refused both ways.
  SSL_CTX_set_options(ctx.get(), SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
  // A non-blocking caller may retry a write with the rest of its buffer at another address, and
  // wants every byte the record layer took reported at once.
  SSL_CTX_set_mode(ctx.get(), SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  return ctx;
}

void require_readable(const std::string& what, const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw_errno(fmt::format("{} {}", what, path));
}

void load_verify_locations(SSL_CTX* ctx, const std::string& path, const char* what) {
  require_readable(what, path);
  struct stat st {};
  const bool is_dir = ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
  const int ok =
      is_dir ? SSL_CTX_load_verify_dir(ctx, path.c_str()) : SSL_CTX_load_verify_file(ctx, path.c_str());
  if (ok != 1) throw_tls(fmt::format("{} {}", what, path));
}

void use_certificate(SSL_CTX* ctx, const std::string& cert, const std::string& key) {
  require_readable("certificate", cert);
  require_readable("key", key);
  if (SSL_CTX_use_certificate_chain_file(ctx, cert.c_str()) != 1) throw_tls("certificate " + cert);
  if (SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM) != 1) throw_tls("key " + key);
  if (SSL_CTX_check_private_key(ctx) != 1)
    throw_tls(fmt::format("key {} does not match certificate {}", key, cert));
}

void set_client_alpn(SSL_CTX* ctx, const std::vector<std::string>& alpn) {
  if (alpn.empty()) return;
  const std::string wire = alpn_wire(alpn);
  // The one OpenSSL call that returns 0 on success.
  if (SSL_CTX_set_alpn_protos(ctx, reinterpret_cast<const unsigned char*>(wire.data()),
                              static_cast<unsigned>(wire.size())) != 0)
    throw_tls("setting ALPN protocols");
}

int select_alpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
                unsigned inlen, void* arg) {
  const auto* wire = static_cast<const std::string*>(arg);
  unsigned char* selected = nullptr;
  // Server preference order; no overlap → no ALPN in the reply rather than a fatal alert.
  if (SSL_select_next_proto(&selected, outlen, reinterpret_cast<const unsigned char*>(wire->data()),
                            static_cast<unsigned>(wire->size()), in, inlen) != OPENSSL_NPN_NEGOTIATED)
    return SSL_TLSEXT_ERR_NOACK;
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

// The server's ALPN list lives as long as its context (freed with it through ex_data).
int alpn_index() {
  static const int index = SSL_CTX_get_ex_new_index(
      0, nullptr, nullptr, nullptr,
      [](void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) { delete static_cast<std::string*>(ptr); });
  return index;
}

void set_server_alpn(SSL_CTX* ctx, const std::vector<std::string>& alpn) {
  if (alpn.empty()) return;
  auto* wire = new std::string(alpn_wire(alpn));
  SSL_CTX_set_ex_data(ctx, alpn_index(), wire);
  SSL_CTX_set_alpn_select_cb(ctx, select_alpn, wire);
}

}  // namespace

SharedCtx make_client_context(const ClientConfig& config) {
  load_openssl();
  SslCtxPtr ctx = new_context(TLS_client_method(), config.min_version);
  if (!config.ca.empty()) {
    load_verify_locations(ctx.get(), config.ca, "CA");
  } else if (SSL_CTX_set_default_verify_paths(ctx.get()) != 1) {
    throw_tls("loading the system CA store");
  }
  // --insecure: the chain is still checked (its verdict shows in the tls record) but not enforced.
  SSL_CTX_set_verify(ctx.get(), config.insecure ? SSL_VERIFY_NONE : SSL_VERIFY_PEER, record_verify_failure);
  if (!config.cert.empty() || !config.key.empty())
    use_certificate(ctx.get(), config.cert, config.key.empty() ? config.cert : config.key);
  set_client_alpn(ctx.get(), config.alpn);
  return share(std::move(ctx));
}

SharedCtx make_server_context(const ServerConfig& config) {
  load_openssl();
  SslCtxPtr ctx = new_context(TLS_server_method(), config.min_version);
  use_certificate(ctx.get(), config.cert, config.key.empty() ? config.cert : config.key);
  if (!config.client_ca.empty()) {
    load_verify_locations(ctx.get(), config.client_ca, "client CA");
    if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(config.client_ca.c_str()))
      SSL_CTX_set_client_CA_list(ctx.get(), names);
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, record_verify_failure);
  }
  set_server_alpn(ctx.get(), config.alpn);
  ERR_clear_error();  // SSL_load_client_CA_file on a directory leaves an entry behind
  return share(std::move(ctx));
}

}  // namespace nt::tls
