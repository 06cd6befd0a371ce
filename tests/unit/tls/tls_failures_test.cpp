// Every TLS failure a person can meet, in the words nettool prints: untrusted, expired, wrong name,
// self-signed, pin mismatch, plaintext peer, garbage ClientHello, version floor, handshake cut short.
#include <doctest/doctest.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tls/error.hpp"
#include "tls_pki.hpp"
#include "tls_session.hpp"

using namespace nt;
using namespace nt::tls;
using namespace nt::tls::testing;
using Status = net::IoResult::Status;

namespace {

SharedCtx server_of(const KeyCert& kc) {
  return server_with(kc.cert_file, kc.key_file);
}

std::string client_failure(const SharedCtx& client, const KeyCert& server,
                           const std::string& name = "localhost", const std::string& pin = "") {
  Session s = handshake(client, server_of(server), name, pin);
  if (s.client_result.status != Status::error) return "no failure";
  CHECK(s.client_result.error == EPROTO);
  return s.client->error_text();
}

// A raw socket on one side of the pair, a TLS stream on the other.
struct RawPeer {
  net::UniqueFd raw;
  std::unique_ptr<TlsStream> tls;
};
RawPeer raw_peer(bool tls_is_client) {
  int sv[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) == 0);
  RawPeer p{net::UniqueFd(sv[0]), nullptr};
  p.tls = tls_is_client ? TlsStream::client(net::UniqueFd(sv[1]), trusting_client(), {.name = "localhost"})
                        : TlsStream::server(net::UniqueFd(sv[1]), server_of(pki().server));
  return p;
}

net::IoResult drive(TlsStream& stream) {
  net::IoResult r = stream.handshake();
  for (int i = 0; i < 5 && r.would_block(); ++i) r = stream.handshake();
  return r;
}

}  // namespace

TEST_CASE("tls failures: untrusted, expired, wrong name and self-signed certificates in words") {
  const auto other_ca = trusting_client({.ca = pki().other_ca.cert_file});
  CHECK(client_failure(other_ca, pki().server) == "unable to get local issuer certificate (untrusted CA)");
  CHECK(client_failure(trusting_client(), pki().expired) ==
        "certificate has expired (not after 2020-01-01T00:00:00Z)");
  CHECK(client_failure(trusting_client(), pki().wrong_name) ==
        "certificate is for 'example.org' not 'localhost'");
  CHECK(client_failure(trusting_client(), pki().self_signed) ==
        "self-signed certificate 'CN=localhost' (untrusted)");
}

TEST_CASE("tls failures: --insecure connects anyway and says what it did not enforce") {
  Session s = handshake(trusting_client({.insecure = true}), server_of(pki().expired));
  REQUIRE(s.client_result.ok());
  CHECK(s.client->info().verify ==
        "certificate has expired (not after 2020-01-01T00:00:00Z) (not enforced: --insecure)");
}

TEST_CASE("tls failures: a public-key pin is checked with and without CA verification") {
  const std::string good = public_key_pin(pki().server.cert.get());
  const std::string other = public_key_pin(pki().wrong_name.cert.get());
  Session verified = handshake(trusting_client(), server_of(pki().server), "localhost", good);
  REQUIRE(verified.client_result.ok());
  CHECK(verified.client->info().verify == "ok, pin ok");
  // A self-signed server trusted through its pin alone.
  const std::string self = public_key_pin(pki().self_signed.cert.get());
  Session pinned =
      handshake(trusting_client({.insecure = true}), server_of(pki().self_signed), "localhost", self);
  CHECK(pinned.client_result.ok());

  CHECK(client_failure(trusting_client(), pki().server, "localhost", other) ==
        "pin mismatch: got " + good + ", expected " + other);
  CHECK(client_failure(trusting_client({.insecure = true}), pki().server, "localhost", other) ==
        "pin mismatch: got " + good + ", expected " + other);
}

TEST_CASE("tls failures: a plaintext client on a TLS server, and a plaintext server for a TLS client") {
  RawPeer to_server = raw_peer(false);
  CHECK(drive(*to_server.tls).status == Status::want_read);  // nothing sent yet: waits, no failure
  REQUIRE(::send(to_server.raw.get(), "GET / HTTP/1.0\r\n", 16, 0) == 16);
  net::IoResult r = drive(*to_server.tls);
  REQUIRE(r.status == Status::error);
  CHECK(to_server.tls->error_text() ==
        "peer spoke plaintext, not TLS (first bytes \"GET / HTTP/1.0\\r\\n\")");

  RawPeer to_client = raw_peer(true);
  CHECK(drive(*to_client.tls).status == Status::want_read);  // ClientHello out
  REQUIRE(::send(to_client.raw.get(), "SSH-2.0-x\n", 10, 0) == 10);
  REQUIRE(drive(*to_client.tls).status == Status::error);
  CHECK(to_client.tls->error_text() == "peer spoke plaintext, not TLS (first bytes \"SSH-2.0-x\\n\")");
}

TEST_CASE("tls failures: a garbage ClientHello inside a TLS record header") {
  RawPeer p = raw_peer(false);
  const unsigned char garbage[] = {0x16, 0x03, 0x01, 0x00, 0x08, 0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3};
  REQUIRE(::send(p.raw.get(), garbage, sizeof garbage, 0) == static_cast<ssize_t>(sizeof garbage));
  REQUIRE(drive(*p.tls).status == Status::error);
  CHECK(p.tls->error_text().starts_with("TLS handshake failed: "));
}

TEST_CASE("tls failures: a handshake cut short, and a version floor the server is below") {
  RawPeer p = raw_peer(false);
  const unsigned char partial[] = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01};  // header promises 512 bytes
  REQUIRE(::send(p.raw.get(), partial, sizeof partial, 0) == static_cast<ssize_t>(sizeof partial));
  CHECK(drive(*p.tls).status == Status::want_read);
  p.raw.reset();
  REQUIRE(drive(*p.tls).status == Status::error);
  CHECK(p.tls->error_text() == "peer closed the connection during the TLS handshake");

  auto old_server = server_of(pki().server);
  SSL_CTX_set_max_proto_version(old_server.get(), TLS1_2_VERSION);
  Session s = handshake(trusting_client({.min_version = TLS1_3_VERSION}), old_server);
  REQUIRE(s.client_result.status == Status::error);
  CHECK(s.client->error_text().starts_with("TLS handshake failed: "));
}

TEST_CASE("tls failures: the words for pieces that fail before a handshake") {
  CHECK(starts_like_tls_record(std::span<const unsigned char>()));
  const unsigned char hello[] = {0x16, 0x03, 0x01};
  CHECK(starts_like_tls_record(hello));
  const unsigned char http[] = {'G', 'E', 'T'};
  CHECK(!starts_like_tls_record(http));
  const unsigned char wrong_major[] = {0x16, 0x02};
  CHECK(!starts_like_tls_record(wrong_major));
  CHECK(handshake_timeout_text(5.0) == "TLS handshake timed out after 5 s");
  CHECK_THROWS_AS(make_server_context({.cert = pki().dir + "/missing.pem", .key = pki().server.key_file}),
                  std::system_error);
  CHECK_THROWS_AS(make_server_context({.cert = pki().server.cert_file, .key = pki().client.key_file}),
                  tls::Error);
}

TEST_CASE("tls failures: a peer that resets in the middle of a record") {
  int sv[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) == 0);
  net::UniqueFd client_side(::dup(sv[0]));
  auto client = TlsStream::client(net::UniqueFd(sv[0]), trusting_client(), {.name = "localhost"});
  auto server = TlsStream::server(net::UniqueFd(sv[1]), server_of(pki().server));
  for (int i = 0; i < 10 && !(client->established() && server->established()); ++i) {
    (void)client->handshake();
    (void)server->handshake();
  }
  REQUIRE(server->established());
  const unsigned char half_record[] = {0x17, 0x03, 0x03, 0x01, 0x00, 0xaa, 0xbb};
  REQUIRE(::send(client_side.get(), half_record, sizeof half_record, 0) ==
          static_cast<ssize_t>(sizeof half_record));
  std::byte buf[64];
  CHECK(server->read(buf).status == Status::want_read);
  // Closed with the server's session tickets unread: the kernel resets the connection.
  client.reset();
  client_side.reset();
  const net::IoResult r = server->read(buf);
  CHECK(r.status == Status::error);
  CHECK(r.error == ECONNRESET);
  CHECK(server->error_text() == "TLS read: Connection reset by peer");
  CHECK(server->read(buf).status == Status::error);  // stays failed
}
