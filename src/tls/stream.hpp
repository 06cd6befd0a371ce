// A TLS session over a connected socket, behind the core's Stream interface: the handshake and every
// read/write are non-blocking and report want_read/want_write, so the event-loop caller never asks
// whether it talks TLS. TLS 1.3 key updates work both ways; renegotiation is refused (RFC 8446 §4.6.3).
#pragma once
#include <memory>
#include <span>
#include <string>

#include "net/stream.hpp"
#include "sys/clock.hpp"
#include "tls/config.hpp"
#include "tls/handles.hpp"
#include "tls/info.hpp"
#include "tls/verify.hpp"

namespace nt::tls {

class TlsStream final : public net::Stream {
 public:
  // Both throw tls::Error if OpenSSL cannot make the session.
  static std::unique_ptr<TlsStream> client(net::UniqueFd fd, const SharedCtx& ctx, const ClientPeer& peer);
  static std::unique_ptr<TlsStream> server(net::UniqueFd fd, const SharedCtx& ctx);

  int fd() const noexcept override { return fd_.get(); }
  net::IoResult handshake() noexcept override;
  net::IoResult read(std::span<std::byte> buf) noexcept override;
  net::IoResult write(std::span<const std::byte> data) noexcept override;
  // Sends close_notify once; reading the peer's data may go on (a TLS half-close).
  net::IoResult shutdown_write() noexcept override;
  std::size_t buffered() const noexcept override;
  std::string error_text() const override { return error_text_; }

  // TLS 1.3: new traffic keys both ways, sent with the next write or handshake() call. False on TLS 1.2,
  // where it would take a renegotiation.
  bool request_key_update() noexcept;
  bool established() const noexcept { return established_; }
  // The peer closed without close_notify (read() reported eof all the same): the data may be truncated.
  bool closed_uncleanly() const noexcept { return unclean_eof_; }
  // After the handshake: what was agreed and whom we talk to.
  ConnectionInfo info() const;

 private:
  TlsStream(net::UniqueFd fd, const SharedCtx& ctx, ClientPeer peer, bool is_client);
  net::IoResult fail(int err, std::string text) noexcept;
  net::IoResult check_first_bytes() noexcept;
  net::IoResult handshake_failed(int ret) noexcept;
  net::IoResult io_failed(int ret, const char* op) noexcept;
  std::string check_pin() const;
  std::string verify_text() const;

  net::UniqueFd fd_;
  VerifyFailure verify_failure_;  // declared before ssl_: the session points at it until freed
  SslPtr ssl_;
  ClientPeer peer_;
  bool is_client_;
  bool first_bytes_checked_ = false;
  bool established_ = false;
  bool failed_ = false;
  bool close_sent_ = false;
  bool unclean_eof_ = false;
  int last_error_ = 0;
  std::string error_text_;
  sys::MonoClock::time_point started_{};
  double handshake_ms_ = 0;
};

// True when the first bytes a peer sent can begin a TLS record (RFC 8446 §5.1: content type 20–23,
// legacy version 3.x). A prefix shorter than the header is judged on what is there.
bool starts_like_tls_record(std::span<const unsigned char> head) noexcept;
// The words for a peer whose first bytes are not TLS, with those bytes shown escaped.
std::string plaintext_peer_text(std::span<const unsigned char> head);
// The words for a handshake the caller's timer gave up on.
std::string handshake_timeout_text(double seconds);

}  // namespace nt::tls
