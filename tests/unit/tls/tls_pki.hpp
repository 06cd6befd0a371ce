// Certificates made in-process for the TLS tests (EC P-256, quick to make): a CA and what it signs — a
// server cert for localhost/127.0.0.1, an expired one, one for another name, a client cert — plus a
// second CA nobody trusts and a self-signed server. PEM files sit in a temporary directory.
#pragma once
#include <string>
#include <vector>

#include "tls/handles.hpp"

namespace nt::tls::testing {

struct KeyCert {
  PkeyPtr key;
  X509Ptr cert;
  std::string cert_file, key_file;
};

struct CertSpec {
  std::string cn{};
  std::vector<std::string> dns{}, ips{};
  std::string not_before{}, not_after{};  // "YYYYMMDDHHMMSSZ"; empty: an hour ago / in a day
  bool ca = false;
};

struct Pki {
  std::string dir;
  KeyCert ca, other_ca, server, expired, wrong_name, self_signed, client;
};

// Made once per test run; files removed at exit.
const Pki& pki();

KeyCert make_cert(const CertSpec& spec, const KeyCert* issuer);
void write_pem(const std::string& path, X509* cert, EVP_PKEY* key);

}  // namespace nt::tls::testing
