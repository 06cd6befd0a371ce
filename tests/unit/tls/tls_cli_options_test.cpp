// tcp-echo's TLS options: each needs --tls, the server needs a certificate, the name the client checks.
#include <doctest/doctest.h>

#include "tls/cli_options.hpp"
#include "sys/error.hpp"

using namespace nt;
using namespace nt::tls;

TEST_CASE("tls cli options: each TLS option needs --tls") {
  CHECK_NOTHROW(validate(TlsClientOptions{}));
  CHECK_NOTHROW(validate(TlsServerOptions{}));
  CHECK_THROWS_AS(validate(TlsClientOptions{.ca = "ca.pem"}), UsageError);
  CHECK_THROWS_AS(validate(TlsClientOptions{.insecure = true}), UsageError);
  CHECK_THROWS_AS(validate(TlsClientOptions{.min_version = "1.3"}), UsageError);
  CHECK_THROWS_AS(validate(TlsClientOptions{.servername = "x"}), UsageError);
  CHECK_THROWS_AS(validate(TlsServerOptions{.cert = "c.pem"}), UsageError);
  CHECK_THROWS_AS(validate(TlsServerOptions{.client_ca = "ca.pem"}), UsageError);
}

TEST_CASE("tls cli options: values are checked before anything connects") {
  CHECK_NOTHROW(validate(TlsServerOptions{.enabled = true, .cert = "c.pem", .key = "k.pem", .alpn = "echo"}));
  CHECK_THROWS_AS(validate(TlsServerOptions{.enabled = true}), UsageError);
  CHECK_THROWS_AS(validate(TlsServerOptions{.enabled = true, .cert = "c.pem", .min_version = "1.0"}),
                  UsageError);
  CHECK_THROWS_AS(validate(TlsClientOptions{.enabled = true, .pin = "sha256:short"}), UsageError);
  CHECK_THROWS_AS(validate(TlsClientOptions{.enabled = true, .alpn = "a,,b"}), UsageError);
  CHECK_THROWS_AS(validate(TlsClientOptions{.enabled = true, .key = "k.pem"}), UsageError);
}

TEST_CASE("tls cli options: the client checks --servername, else the target's host") {
  CHECK(expected_name({}, "localhost:7007") == "localhost");
  CHECK(expected_name({}, "127.0.0.1:7007") == "127.0.0.1");
  CHECK(expected_name({}, "[::1]:7007") == "::1");
  CHECK(expected_name({}, "example.org") == "example.org");
  CHECK(expected_name({}, "unix:/run/echo.sock") == "");
  CHECK(expected_name({.servername = "echo.test"}, "127.0.0.1:7007") == "echo.test");
}
