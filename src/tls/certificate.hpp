// What a person (and a `tls` record) needs to know about a certificate: names, validity, fingerprints.
#pragma once
#include <openssl/x509.h>

#include <string>
#include <vector>

namespace nt::tls {

struct CertificateInfo {
  std::string subject;  // RFC 2253 form: CN=localhost,O=Example
  std::string issuer;
  std::vector<std::string> sans;   // DNS names and IP addresses, in certificate order
  std::string not_after;           // RFC 3339 UTC: 2026-01-01T00:00:00Z
  std::string sha256_fingerprint;  // AB:CD:… over the DER certificate (as `openssl x509 -fingerprint`)
  std::string pin;                 // sha256:BASE64 over the DER SubjectPublicKeyInfo (RFC 7469 §2.4)
};

CertificateInfo describe_certificate(X509* cert);

std::string name_text(const X509_NAME* name);
std::vector<std::string> subject_alt_names(X509* cert);
// The names a certificate is for: its DNS/IP SANs, or its subject CN when it has none.
std::string names_for(X509* cert);
// "2026-01-01T00:00:00Z"; "" if the time cannot be read.
std::string rfc3339(const ASN1_TIME* time);
std::string sha256_fingerprint(X509* cert);
std::string public_key_pin(X509* cert);

}  // namespace nt::tls
