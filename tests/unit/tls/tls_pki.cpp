#include "tls_pki.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace nt::tls::testing {
namespace {

void must(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test PKI: ") + what);
}

void add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  must(ext && X509_add_ext(cert, ext, -1) == 1, "extension");
  X509_EXTENSION_free(ext);
}

void set_validity(X509* cert, const CertSpec& spec) {
  if (spec.not_before.empty()) {
    must(X509_gmtime_adj(X509_getm_notBefore(cert), -3600) != nullptr, "notBefore");
  } else {
    must(ASN1_TIME_set_string_X509(X509_getm_notBefore(cert), spec.not_before.c_str()) == 1, "notBefore");
  }
  if (spec.not_after.empty()) {
    must(X509_gmtime_adj(X509_getm_notAfter(cert), 86400) != nullptr, "notAfter");
  } else {
    must(ASN1_TIME_set_string_X509(X509_getm_notAfter(cert), spec.not_after.c_str()) == 1, "notAfter");
  }
}

std::string san_list(const CertSpec& spec) {
  std::string sans;
  for (const auto& d : spec.dns) sans += (sans.empty() ? "DNS:" : ",DNS:") + d;
  for (const auto& ip : spec.ips) sans += (sans.empty() ? "IP:" : ",IP:") + ip;
  return sans;
}

KeyCert made(const std::string& dir, const std::string& name, const CertSpec& spec, const KeyCert* issuer) {
  KeyCert kc = make_cert(spec, issuer);
  kc.cert_file = dir + "/" + name + ".pem";
  kc.key_file = dir + "/" + name + ".key";
  write_pem(kc.cert_file, kc.cert.get(), nullptr);
  write_pem(kc.key_file, nullptr, kc.key.get());
  return kc;
}

Pki build() {
  char tmpl[] = "/tmp/nettool-tls-XXXXXX";
  must(::mkdtemp(tmpl) != nullptr, "mkdtemp");
  Pki p;
  p.dir = tmpl;
  p.ca = made(p.dir, "ca", {.cn = "nettool test CA", .ca = true}, nullptr);
  p.other_ca = made(p.dir, "other-ca", {.cn = "untrusted CA", .ca = true}, nullptr);
  p.server =
      made(p.dir, "server", {.cn = "localhost", .dns = {"localhost"}, .ips = {"127.0.0.1", "::1"}}, &p.ca);
  p.expired = made(p.dir, "expired",
                   {.cn = "localhost",
                    .dns = {"localhost"},
                    .not_before = "20190101000000Z",
                    .not_after = "20200101000000Z"},
                   &p.ca);
  p.wrong_name = made(p.dir, "wrong-name", {.cn = "example.org", .dns = {"example.org"}}, &p.ca);
  p.self_signed = made(p.dir, "self-signed", {.cn = "localhost", .dns = {"localhost"}}, nullptr);
  p.client = made(p.dir, "client", {.cn = "test client"}, &p.ca);
  return p;
}

}  // namespace

KeyCert make_cert(const CertSpec& spec, const KeyCert* issuer) {
  KeyCert kc;
  kc.key.reset(EVP_EC_gen("P-256"));
  kc.cert.reset(X509_new());
  must(kc.key && kc.cert, "key");
  X509* cert = kc.cert.get();
  static long serial = 1;
  must(X509_set_version(cert, X509_VERSION_3) == 1, "version");
  ASN1_INTEGER_set(X509_get_serialNumber(cert), serial++);
  set_validity(cert, spec);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(spec.cn.c_str()), -1, -1, 0);
  X509* signer = issuer ? issuer->cert.get() : cert;
  must(X509_set_issuer_name(cert, X509_get_subject_name(signer)) == 1, "issuer");
  must(X509_set_pubkey(cert, kc.key.get()) == 1, "pubkey");
  add_extension(cert, signer, NID_basic_constraints, spec.ca ? "critical,CA:TRUE" : "CA:FALSE");
  add_extension(cert, signer, NID_subject_key_identifier, "hash");
  if (issuer) add_extension(cert, signer, NID_authority_key_identifier, "keyid");
  if (const auto sans = san_list(spec); !sans.empty())
    add_extension(cert, signer, NID_subject_alt_name, sans);
  must(X509_sign(cert, issuer ? issuer->key.get() : kc.key.get(), EVP_sha256()) > 0, "sign");
  return kc;
}

void write_pem(const std::string& path, X509* cert, EVP_PKEY* key) {
  FILE* f = std::fopen(path.c_str(), "w");
  must(f != nullptr, "open");
  const bool ok = (!cert || PEM_write_X509(f, cert) == 1) &&
                  (!key || PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr) == 1);
  std::fclose(f);
  must(ok, "write");
}

const Pki& pki() {
  static const Pki made_once = build();
  static struct Cleanup {
    ~Cleanup() { std::filesystem::remove_all(made_once.dir); }
  } cleanup;
  return made_once;
}

}  // namespace nt::tls::testing
