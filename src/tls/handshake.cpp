// TlsStream's handshake: the first-bytes check (a plaintext peer on a TLS port), SSL_do_handshake with
// its failures in words, the public-key pin, and the connection info for the `tls` record.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "tls/error.hpp"
#include "tls/stream.hpp"

namespace nt::tls {

using net::IoResult;

namespace {

constexpr std::size_t kPeekBytes = 16;

bool is_ip_literal(const std::string& name) {
  unsigned char buf[16];
  return ::inet_pton(AF_INET, name.c_str(), buf) == 1 || ::inet_pton(AF_INET6, name.c_str(), buf) == 1;
}

void set_expected_peer(SSL* ssl, const std::string& name) {
  if (name.empty()) return;
  if (is_ip_literal(name)) {
    // An address is matched against the IP SANs and never sent as SNI (RFC 6066 §3).
    if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name.c_str()) != 1)
      throw_tls("peer address " + name);
    return;
  }
  if (SSL_set_tlsext_host_name(ssl, name.c_str()) != 1) throw_tls("server name " + name);
  if (SSL_set1_host(ssl, name.c_str()) != 1) throw_tls("server name " + name);
}

}  // namespace

bool starts_like_tls_record(std::span<const unsigned char> head) noexcept {
  if (head.empty()) return true;
  const bool content_type = head[0] >= 20 && head[0] <= 23;  // change_cipher_spec … application_data
  return content_type && (head.size() < 2 || head[1] == 3);
}

std::string plaintext_peer_text(std::span<const unsigned char> head) {
  std::string shown;
  for (unsigned char c : head) {
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      shown.push_back(static_cast<char>(c));
    } else {
      shown += c == '\n' ? "\\n" : c == '\r' ? "\\r" : fmt::format("\\x{:02x}", c);
    }
  }
  return fmt::format("peer spoke plaintext, not TLS (first bytes \"{}\")", shown);
}

std::string handshake_timeout_text(double seconds) {
  return fmt::format("TLS handshake timed out after {:g} s", seconds);
}

std::unique_ptr<TlsStream> TlsStream::client(net::UniqueFd fd, const SharedCtx& ctx, const ClientPeer& peer) {
  std::unique_ptr<TlsStream> stream(new TlsStream(std::move(fd), ctx, peer, true));
  set_expected_peer(stream->ssl_.get(), peer.name);
  return stream;
}

// Peeks at what the peer sent first: a person who points a plaintext client at a TLS port (or the
// other way round) gets told so instead of OpenSSL's "wrong version number".
IoResult TlsStream::check_first_bytes() noexcept {
  std::array<unsigned char, kPeekBytes> head{};
  const ssize_t n = ::recv(fd_.get(), head.data(), head.size(), MSG_PEEK | MSG_DONTWAIT);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
    // A server must hear the ClientHello first; a client has yet to send its own.
    return is_client_ ? IoResult::moved(0) : IoResult{IoResult::Status::want_read, 0, 0};
  }
  first_bytes_checked_ = true;  // errors and EOF are left for OpenSSL to meet and report
  if (n <= 0) return IoResult::moved(0);
  const std::span<const unsigned char> seen(head.data(), static_cast<std::size_t>(n));
  if (starts_like_tls_record(seen)) return IoResult::moved(0);
  return fail(EPROTO, plaintext_peer_text(seen));
}

IoResult TlsStream::handshake() noexcept {
  if (failed_) return IoResult::failed(last_error_);
  ERR_clear_error();
  errno = 0;
  if (established_) {  // flushes a requested key update
    const int ret = SSL_do_handshake(ssl_.get());
    return ret == 1 ? IoResult::moved(0) : io_failed(ret, "key update");
  }
  if (started_ == sys::MonoClock::time_point{}) started_ = sys::MonoClock::now();
  if (!first_bytes_checked_) {
    const IoResult first = check_first_bytes();
    if (!first.ok()) return first;
  }
  const int ret = SSL_do_handshake(ssl_.get());
  if (ret != 1) return handshake_failed(ret);
  if (std::string mismatch = check_pin(); !mismatch.empty()) return fail(EPROTO, std::move(mismatch));
  established_ = true;
  handshake_ms_ = sys::to_ms(sys::MonoClock::now() - started_);
  return IoResult::moved(0);
}

IoResult TlsStream::handshake_failed(int ret) noexcept {
  const int saved_errno = errno;
  const int error = SSL_get_error(ssl_.get(), ret);
  if (error == SSL_ERROR_WANT_READ) return {IoResult::Status::want_read, 0, 0};
  if (error == SSL_ERROR_WANT_WRITE) return {IoResult::Status::want_write, 0, 0};
  const bool enforced = SSL_get_verify_mode(ssl_.get()) != SSL_VERIFY_NONE;
  if (enforced && verify_failure_.error != X509_V_OK && SSL_get_verify_result(ssl_.get()) != X509_V_OK)
    return fail(EPROTO, (is_client_ ? "" : "client ") + verify_failure_text(verify_failure_, peer_.name));
  if (error == SSL_ERROR_SYSCALL && saved_errno != 0)
    return fail(saved_errno, std::string("TLS handshake: ") + std::strerror(saved_errno));
  const unsigned long first = ERR_peek_error();
  if (error != SSL_ERROR_SSL || ERR_GET_REASON(first) == SSL_R_UNEXPECTED_EOF_WHILE_READING)
    return fail(ECONNRESET, "peer closed the connection during the TLS handshake");
  const int reason = ERR_GET_REASON(first);
  // The peer's first bytes came after our peek (a banner racing our ClientHello): OpenSSL read them.
  if (!first_bytes_checked_ && ERR_GET_LIB(first) == ERR_LIB_SSL && reason == SSL_R_WRONG_VERSION_NUMBER)
    return fail(EPROTO, "peer spoke plaintext, not TLS (its first record carries no TLS version)");
  // An alert from the peer arrives as reason SSL_AD_REASON_OFFSET + its AlertDescription (RFC 8446 §6).
  if (ERR_GET_LIB(first) == ERR_LIB_SSL && reason > SSL_AD_REASON_OFFSET &&
      reason < SSL_AD_REASON_OFFSET + 256)
    return fail(EPROTO, fmt::format("the peer refused the handshake: {}",
                                    SSL_alert_desc_string_long(reason - SSL_AD_REASON_OFFSET)));
  return fail(EPROTO, "TLS protocol error: " + drain_error_queue());
}

std::string TlsStream::check_pin() const {
  if (peer_.pin.empty()) return "";
  X509* cert = SSL_get0_peer_certificate(ssl_.get());
  if (!cert) return "pin mismatch: the peer sent no certificate";
  const std::string got = public_key_pin(cert);
  if (got == peer_.pin) return "";
  return fmt::format("pin mismatch: got {}, expected {}", got, peer_.pin);
}

std::string TlsStream::verify_text() const {
  const bool enforced = SSL_get_verify_mode(ssl_.get()) != SSL_VERIFY_NONE;
  if (!is_client_ && !enforced) return "not requested";
  std::string text = verify_failure_.error == X509_V_OK ? std::string("ok")
                                                        : verify_failure_text(verify_failure_, peer_.name);
  if (!enforced) text += " (not enforced: --insecure)";
  if (!peer_.pin.empty()) text += ", pin ok";
  return text;
}

ConnectionInfo TlsStream::info() const {
  SSL* ssl = ssl_.get();
  ConnectionInfo info;
  info.version = SSL_get_version(ssl);
  info.cipher = SSL_get_cipher_name(ssl);
  const unsigned char* alpn = nullptr;
  unsigned alpn_len = 0;
  SSL_get0_alpn_selected(ssl, &alpn, &alpn_len);
  if (alpn) info.alpn.assign(reinterpret_cast<const char*>(alpn), alpn_len);
  if (X509* cert = SSL_get0_peer_certificate(ssl)) info.peer = describe_certificate(cert);
  info.verify = verify_text();
  info.handshake_ms = handshake_ms_;
  return info;
}

}  // namespace nt::tls
