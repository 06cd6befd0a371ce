// The TLS command-line forms and the certificate facts a tls record shows.
#include <doctest/doctest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "sys/error.hpp"
#include "tls/certificate.hpp"
#include "tls/config.hpp"
#include "tls/error.hpp"
#include "tls_pki.hpp"

using namespace nt;
using namespace nt::tls;

TEST_CASE("tls config: --tls-min takes 1.2 or 1.3") {
  CHECK(parse_min_version("1.2") == TLS1_2_VERSION);
  CHECK(parse_min_version("1.3") == TLS1_3_VERSION);
  CHECK_THROWS_AS(parse_min_version("1.1"), UsageError);
  CHECK_THROWS_AS(parse_min_version(""), UsageError);
}

TEST_CASE("tls config: --alpn is a comma list of 1..255-byte names, sent length-prefixed") {
  CHECK(parse_alpn("h2") == std::vector<std::string>{"h2"});
  CHECK(parse_alpn("h2,http/1.1") == std::vector<std::string>{"h2", "http/1.1"});
  CHECK_THROWS_AS(parse_alpn(""), UsageError);
  CHECK_THROWS_AS(parse_alpn("h2,,x"), UsageError);
  CHECK_THROWS_AS(parse_alpn("h2,"), UsageError);
  CHECK_THROWS_AS(parse_alpn(std::string(256, 'a')), UsageError);
  CHECK(alpn_wire({"h2", "http/1.1"}) == std::string("\x02h2\x08http/1.1"));
}

TEST_CASE("tls config: --pin is sha256: and 32 bytes of base64") {
  const std::string pin = "sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
  CHECK(parse_pin(pin) == pin);
  CHECK_THROWS_AS(parse_pin("sha1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="), UsageError);
  CHECK_THROWS_AS(parse_pin("sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuF="), UsageError);
  CHECK_THROWS_AS(parse_pin("sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hS!FU="), UsageError);
  CHECK_THROWS_AS(parse_pin("sha256:"), UsageError);
}

TEST_CASE("tls certificate: names, validity and fingerprints as the tls record shows them") {
  const auto& pki = testing::pki();
  const CertificateInfo info = describe_certificate(pki.expired.cert.get());
  CHECK(info.subject == "CN=localhost");
  CHECK(info.issuer == "CN=nettool test CA");
  CHECK(info.sans == std::vector<std::string>{"localhost"});
  CHECK(info.not_after == "2020-01-01T00:00:00Z");
  CHECK(info.sha256_fingerprint.size() == 32 * 3 - 1);
  CHECK(info.sha256_fingerprint[2] == ':');
  CHECK(info.pin.starts_with("sha256:"));
  CHECK(parse_pin(info.pin) == info.pin);
  // Same key, same pin; another key, another pin.
  CHECK(public_key_pin(pki.server.cert.get()) != public_key_pin(pki.expired.cert.get()));
  CHECK(names_for(pki.client.cert.get()) == "test client");
  CHECK(names_for(pki.server.cert.get()) == "localhost, 127.0.0.1, ::1");
}

TEST_CASE("tls error: the OpenSSL error queue travels in the exception and is emptied") {
  ERR_raise(ERR_LIB_SSL, SSL_R_WRONG_VERSION_NUMBER);
  try {
    throw_tls("reading the hello");
    FAIL("no throw");
  } catch (const tls::Error& e) {
    CHECK(std::string(e.what()) == "reading the hello: wrong version number [SSL routines]");
    CHECK(e.code().category() == tls_category());
    CHECK(e.code().message() == "wrong version number");
  }
  CHECK(ERR_peek_error() == 0);
  CHECK(drain_error_queue().empty());
}
