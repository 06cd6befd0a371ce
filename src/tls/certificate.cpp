#include "tls/certificate.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <memory>

#include "tls/handles.hpp"

namespace nt::tls {
namespace {

using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES_free>>;

std::string ip_text(const ASN1_OCTET_STRING* ip) {
  char buf[INET6_ADDRSTRLEN] = {};
  const int len = ASN1_STRING_length(ip);
  const int family = len == 4 ? AF_INET : len == 16 ? AF_INET6 : 0;
  if (family == 0 || !::inet_ntop(family, ASN1_STRING_get0_data(ip), buf, sizeof buf)) return "";
  return buf;
}

std::string common_name(X509* cert) {
  const X509_NAME* subject = X509_get_subject_name(cert);
  const int at = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (at < 0) return "";
  const ASN1_STRING* cn = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, at));
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(cn)),
                     static_cast<std::size_t>(ASN1_STRING_length(cn)));
}

}  // namespace

std::string name_text(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0) return "";
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

std::vector<std::string> subject_alt_names(X509* cert) {
  std::vector<std::string> names;
  GeneralNamesPtr sans(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  if (!sans) return names;
  for (int i = 0; i < sk_GENERAL_NAME_num(sans.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(sans.get(), i);
    if (name->type == GEN_DNS) {
      const ASN1_STRING* dns = name->d.dNSName;
      names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
                         static_cast<std::size_t>(ASN1_STRING_length(dns)));
    } else if (name->type == GEN_IPADD) {
      names.push_back(ip_text(name->d.iPAddress));
    }
  }
  return names;
}

std::string names_for(X509* cert) {
  const auto sans = subject_alt_names(cert);
  if (sans.empty()) return common_name(cert);
  return fmt::format("{}", fmt::join(sans, ", "));
}

std::string rfc3339(const ASN1_TIME* time) {
  std::tm tm{};
  if (!time || ASN1_TIME_to_tm(time, &tm) != 1) return "";
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string sha256_fingerprint(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (X509_digest(cert, EVP_sha256(), md, &len) != 1) return "";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) out += fmt::format("{}{:02X}", i ? ":" : "", md[i]);
  return out;
}

std::string public_key_pin(X509* cert) {
  unsigned char* der = nullptr;
  const int der_len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
  if (der_len <= 0) return "";
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  const bool hashed =
      EVP_Digest(der, static_cast<std::size_t>(der_len), md, &md_len, EVP_sha256(), nullptr) == 1;
  OPENSSL_free(der);
  if (!hashed) return "";
  unsigned char b64[64] = {};
  const int b64_len = EVP_EncodeBlock(b64, md, static_cast<int>(md_len));
  return "sha256:" + std::string(reinterpret_cast<const char*>(b64), static_cast<std::size_t>(b64_len));
}

CertificateInfo describe_certificate(X509* cert) {
  return CertificateInfo{
      .subject = name_text(X509_get_subject_name(cert)),
      .issuer = name_text(X509_get_issuer_name(cert)),
      .sans = subject_alt_names(cert),
      .not_after = rfc3339(X509_get0_notAfter(cert)),
      .sha256_fingerprint = sha256_fingerprint(cert),
      .pin = public_key_pin(cert),
  };
}

}  // namespace nt::tls
