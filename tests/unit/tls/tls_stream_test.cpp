// TlsStream over a socketpair, both ends non-blocking in one thread: handshake, data both ways, TLS 1.3
// key update, close_notify, client certificates, ALPN, server reload.
#include <doctest/doctest.h>
#include <openssl/ssl.h>

#include "tls/error.hpp"
#include "tls_pki.hpp"
#include "tls_session.hpp"

using namespace nt;
using namespace nt::tls;
using namespace nt::tls::testing;
using Status = net::IoResult::Status;

TEST_CASE("tls stream: a verified TLS 1.3 handshake reports what was agreed and whom we talk to") {
  Session s = handshake(trusting_client(), server_with(pki().server.cert_file, pki().server.key_file));
  REQUIRE(s.client_result.ok());
  REQUIRE(s.server_result.ok());
  CHECK(s.client->established());
  const ConnectionInfo info = s.client->info();
  CHECK(info.version == "TLSv1.3");
  CHECK(!info.cipher.empty());
  REQUIRE(info.peer.has_value());
  CHECK(info.peer->subject == "CN=localhost");
  CHECK(info.peer->issuer == "CN=nettool test CA");
  CHECK(info.peer->sans == std::vector<std::string>{"localhost", "127.0.0.1", "::1"});
  CHECK(info.peer->pin == public_key_pin(pki().server.cert.get()));
  CHECK(info.verify == "ok");
  CHECK(info.handshake_ms >= 0);
  CHECK(s.server->info().verify == "not requested");
  CHECK(!s.server->info().peer.has_value());
}

TEST_CASE("tls stream: an IP literal is checked against the IP SANs") {
  const auto server = server_with(pki().server.cert_file, pki().server.key_file);
  CHECK(handshake(trusting_client(), server, "127.0.0.1").client_result.ok());
  CHECK(handshake(trusting_client(), server, "::1").client_result.ok());
  Session s = handshake(trusting_client(), server, "127.0.0.2");
  CHECK(s.client_result.status == Status::error);
  CHECK(s.client->error_text() == "certificate is for 'localhost, 127.0.0.1, ::1' not '127.0.0.2'");
}

TEST_CASE("tls stream: data flows both ways, also after a TLS 1.3 key update") {
  Session s = handshake(trusting_client(), server_with(pki().server.cert_file, pki().server.key_file));
  REQUIRE(s.server_result.ok());
  CHECK(transfer(*s.client, *s.server, "hello") == "hello");
  CHECK(transfer(*s.server, *s.client, "world") == "world");
  const std::string big(200000, 'x');
  CHECK(transfer(*s.client, *s.server, big) == big);
  REQUIRE(s.client->request_key_update());
  CHECK(s.client->handshake().ok());  // sends the KeyUpdate now
  CHECK(transfer(*s.client, *s.server, "after update") == "after update");
  CHECK(transfer(*s.server, *s.client, "and back") == "and back");
  REQUIRE(s.server->request_key_update());
  CHECK(transfer(*s.server, *s.client, "server keys too") == "server keys too");
  CHECK(transfer(*s.client, *s.server, "ok") == "ok");
}

TEST_CASE("tls stream: TLS 1.2 has no key update (it would take a renegotiation)") {
  ServerConfig config;
  auto server = server_with(pki().server.cert_file, pki().server.key_file, config);
  SSL_CTX_set_max_proto_version(server.get(), TLS1_2_VERSION);
  Session s = handshake(trusting_client(), server);
  REQUIRE(s.client_result.ok());
  CHECK(s.client->info().version == "TLSv1.2");
  CHECK(!s.client->request_key_update());
  CHECK(transfer(*s.client, *s.server, "still fine") == "still fine");
}

TEST_CASE("tls stream: buffered() counts decrypted bytes epoll cannot see") {
  Session s = handshake(trusting_client(), server_with(pki().server.cert_file, pki().server.key_file));
  REQUIRE(s.server_result.ok());
  CHECK(transfer(*s.client, *s.server, "x") == "x");  // settles the session tickets
  REQUIRE(s.server->write(std::as_bytes(std::span("0123456789", 10))).ok());
  std::byte one[1];
  REQUIRE(s.client->read(one).ok());
  CHECK(s.client->buffered() == 9);
}

TEST_CASE("tls stream: close_notify ends one direction; the other goes on") {
  Session s = handshake(trusting_client(), server_with(pki().server.cert_file, pki().server.key_file));
  REQUIRE(s.server_result.ok());
  CHECK(transfer(*s.client, *s.server, "request") == "request");
  REQUIRE(s.client->shutdown_write().ok());
  std::byte buf[64];
  CHECK(s.server->read(buf).status == Status::eof);
  CHECK(!s.server->closed_uncleanly());
  CHECK(transfer(*s.server, *s.client, "late reply") == "late reply");
  REQUIRE(s.server->shutdown_write().ok());
  CHECK(s.client->read(buf).status == Status::eof);
  CHECK(!s.client->closed_uncleanly());
}

TEST_CASE("tls stream: a peer gone without close_notify is an eof marked unclean") {
  Session s = handshake(trusting_client(), server_with(pki().server.cert_file, pki().server.key_file));
  REQUIRE(s.server_result.ok());
  CHECK(transfer(*s.server, *s.client, "x") == "x");  // the client has read all (a socket closed with
  s.client.reset();                                   // unread data resets its peer)
  std::byte buf[64];
  CHECK(s.server->read(buf).status == Status::eof);
  CHECK(s.server->closed_uncleanly());
}

TEST_CASE("tls stream: client certificates are verified by a server that asks for them") {
  ServerConfig config{.client_ca = pki().ca.cert_file};
  const auto server = server_with(pki().server.cert_file, pki().server.key_file, config);
  Session good =
      handshake(trusting_client({.cert = pki().client.cert_file, .key = pki().client.key_file}), server);
  REQUIRE(good.server_result.ok());
  REQUIRE(good.server->info().peer.has_value());
  CHECK(good.server->info().peer->subject == "CN=test client");
  CHECK(good.server->info().verify == "ok");

  Session none = handshake(trusting_client(), server);
  CHECK(none.server_result.status == Status::error);
  CHECK(none.server->error_text().find("certificate") != std::string::npos);
}

TEST_CASE("tls stream: ALPN agrees on the server's first choice the client offers") {
  ServerConfig config{.alpn = {"http/1.1", "echo"}};
  const auto server = server_with(pki().server.cert_file, pki().server.key_file, config);
  Session s = handshake(trusting_client({.alpn = {"echo", "http/1.1"}}), server);
  REQUIRE(s.client_result.ok());
  CHECK(s.client->info().alpn == "http/1.1");
  Session none = handshake(trusting_client({.alpn = {"h2"}}), server);
  REQUIRE(none.client_result.ok());
  CHECK(none.client->info().alpn == "");
}

TEST_CASE("tls stream: a reload swaps the certificate for new sessions only") {
  const std::string cert = pki().dir + "/reload.pem", key = pki().dir + "/reload.key";
  write_pem(cert, pki().server.cert.get(), nullptr);
  write_pem(key, nullptr, pki().server.key.get());
  ServerContext server(ServerConfig{.cert = cert, .key = key});
  Session before = handshake(trusting_client(), server.current());
  REQUIRE(before.server_result.ok());

  write_pem(cert, pki().wrong_name.cert.get(), nullptr);
  write_pem(key, nullptr, pki().wrong_name.key.get());
  server.reload();
  Session after = handshake(trusting_client(), server.current(), "example.org");
  REQUIRE(after.client_result.ok());
  CHECK(after.client->info().peer->subject == "CN=example.org");
  CHECK(transfer(*before.client, *before.server, "old session lives") == "old session lives");

  write_pem(key, nullptr, pki().server.key.get());  // no longer matches the certificate
  const SSL_CTX* kept = server.current().get();
  CHECK_THROWS_AS(server.reload(), tls::Error);
  CHECK(server.current().get() == kept);
}
