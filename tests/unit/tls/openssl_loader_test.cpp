// The stubs that load OpenSSL on first use (x86-64) must hand every argument register to the real
// function: integers and pointers (rdi…r9), doubles (xmm) and, for variadic calls, al.
#include <doctest/doctest.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>

#include <string>

#include "tls/openssl_loader.hpp"

namespace nt::tls {

TEST_CASE("openssl loader: OpenSSL 3 is there after load_openssl()") {
  load_openssl();
  CHECK(OpenSSL_version_num() >= 0x30000000UL);
}

TEST_CASE("openssl loader: a variadic first call gets integers, strings and doubles intact") {
  // BIO_snprintf is called nowhere else in nettool, so this is its slot's first call: it goes through
  // the binding path, which must keep rdi, rsi, rdx, rcx, r8, r9, al and xmm0/xmm1.
  char buf[128];
  int n = BIO_snprintf(buf, sizeof buf, "%s|%d|%ld|%d|%.2f|%.3f", "abc", -7, 1234567890123L, 42, 2.5, -0.125);
  CHECK(std::string(buf) == "abc|-7|1234567890123|42|2.50|-0.125");
  CHECK(n == static_cast<int>(std::string(buf).size()));
}

}  // namespace nt::tls
