// Owning handles for OpenSSL objects: each frees exactly once through the library's own *_free.
#pragma once
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>

namespace nt::tls {

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const noexcept {
    Free(p);
  }
};

using SslCtxPtr = std::unique_ptr<SSL_CTX, Deleter<SSL_CTX_free>>;
using SslPtr = std::unique_ptr<SSL, Deleter<SSL_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;

// A context shared by the sessions made from it: SSL_new takes its own reference, so a session keeps
// the context it started with even after a reload swaps in a new one.
using SharedCtx = std::shared_ptr<SSL_CTX>;
inline SharedCtx share(SslCtxPtr ctx) {
  return SharedCtx(ctx.release(), Deleter<SSL_CTX_free>{});
}

}  // namespace nt::tls
