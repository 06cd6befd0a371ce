// Certificate verification that explains itself: the first failure the chain check met is kept with the
// certificate it concerns, and turned into words (`certificate has expired (not after …)`).
#pragma once
#include <openssl/ssl.h>

#include <string>

#include "tls/handles.hpp"

namespace nt::tls {

struct VerifyFailure {
  int error = X509_V_OK;  // X509_V_ERR_*
  int depth = 0;          // 0: the peer's own certificate
  X509Ptr cert;           // the certificate the error concerns
};

// The verify callback every context installs: records the first failure in the session's
// VerifyFailure (attached with attach_verify_failure) and leaves the verdict to OpenSSL.
int record_verify_failure(int ok, X509_STORE_CTX* store) noexcept;
void attach_verify_failure(SSL* ssl, VerifyFailure* failure) noexcept;

// A person's words for a verify error. `expected_name` is the name or address the client asked for.
std::string verify_failure_text(const VerifyFailure& failure, const std::string& expected_name);

// "ok" or the words for SSL_get_verify_result, for the `verify` field of a tls record.
std::string verify_result_text(const SSL* ssl);

}  // namespace nt::tls
