#include "tls/verify.hpp"

#include <fmt/format.h>
#include <openssl/x509v3.h>

#include "tls/certificate.hpp"

namespace nt::tls {
namespace {

int verify_failure_index() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

std::string subject_of(const VerifyFailure& failure) {
  return failure.cert ? name_text(X509_get_subject_name(failure.cert.get())) : "";
}

std::string untrusted_text(int error, const VerifyFailure& failure) {
  const std::string who = subject_of(failure);
  switch (error) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
      return "unable to get local issuer certificate (untrusted CA)";
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
      return fmt::format("self-signed certificate '{}' (untrusted)", who);
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
      return fmt::format("self-signed certificate '{}' in the chain (untrusted CA)", who);
    default:
      return "";
  }
}

}  // namespace

void attach_verify_failure(SSL* ssl, VerifyFailure* failure) noexcept {
  SSL_set_ex_data(ssl, verify_failure_index(), failure);
}

int record_verify_failure(int ok, X509_STORE_CTX* store) noexcept {
  if (ok) return ok;
  auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  auto* failure = ssl ? static_cast<VerifyFailure*>(SSL_get_ex_data(ssl, verify_failure_index())) : nullptr;
  if (failure && failure->error == X509_V_OK) {
    failure->error = X509_STORE_CTX_get_error(store);
    failure->depth = X509_STORE_CTX_get_error_depth(store);
    if (X509* cert = X509_STORE_CTX_get_current_cert(store); cert && X509_up_ref(cert) == 1)
      failure->cert.reset(cert);
  }
  return ok;
}

std::string verify_failure_text(const VerifyFailure& failure, const std::string& expected_name) {
  X509* cert = failure.cert.get();
  switch (failure.error) {
    case X509_V_OK:
      return "ok";
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return fmt::format("certificate has expired (not after {})",
                         cert ? rfc3339(X509_get0_notAfter(cert)) : "?");
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return fmt::format("certificate is not yet valid (not before {})",
                         cert ? rfc3339(X509_get0_notBefore(cert)) : "?");
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
      return fmt::format("certificate is for '{}' not '{}'", cert ? names_for(cert) : "?", expected_name);
    default:
      break;
  }
  if (auto text = untrusted_text(failure.error, failure); !text.empty()) return text;
  return fmt::format("certificate verify failed: {}", X509_verify_cert_error_string(failure.error));
}

std::string verify_result_text(const SSL* ssl) {
  const long result = SSL_get_verify_result(ssl);
  return result == X509_V_OK ? "ok" : X509_verify_cert_error_string(result);
}

}  // namespace nt::tls
