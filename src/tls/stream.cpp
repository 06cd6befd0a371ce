// TlsStream: session setup and the data path (read, write, shutdown). The handshake is in handshake.cpp.
#include "tls/stream.hpp"

#include <openssl/err.h>

#include <cerrno>
#include <cstring>

#include "tls/error.hpp"
#include "tls/socket_bio.hpp"

namespace nt::tls {

using net::IoResult;

TlsStream::TlsStream(net::UniqueFd fd, const SharedCtx& ctx, ClientPeer peer, bool is_client)
    : fd_(std::move(fd)), ssl_(SSL_new(ctx.get())), peer_(std::move(peer)), is_client_(is_client) {
  if (!ssl_) throw_tls("creating a TLS session");
  // The BIO does not own the descriptor: fd_ closes it after SSL_free.
  BIO* bio = new_socket_bio(fd_.get());
  if (!bio) throw_tls("attaching the socket to the TLS session");
  SSL_set_bio(ssl_.get(), bio, bio);  // one reference, owned by the session from here
  attach_verify_failure(ssl_.get(), &verify_failure_);
  if (is_client_) {
    SSL_set_connect_state(ssl_.get());
  } else {
    SSL_set_accept_state(ssl_.get());
  }
}

std::unique_ptr<TlsStream> TlsStream::server(net::UniqueFd fd, const SharedCtx& ctx) {
  return std::unique_ptr<TlsStream>(new TlsStream(std::move(fd), ctx, {}, false));
}

IoResult TlsStream::fail(int err, std::string text) noexcept {
  ERR_clear_error();
  failed_ = true;
  last_error_ = err;
  error_text_ = std::move(text);
  return IoResult::failed(err);
}

// The mapping every data call shares (SSL_get_error(3)): want_* for would-block, eof for close_notify.
IoResult TlsStream::io_failed(int ret, const char* op) noexcept {
  const int saved_errno = errno;
  switch (SSL_get_error(ssl_.get(), ret)) {
    case SSL_ERROR_WANT_READ:
      return {IoResult::Status::want_read, 0, 0};
    case SSL_ERROR_WANT_WRITE:
      return {IoResult::Status::want_write, 0, 0};
    case SSL_ERROR_ZERO_RETURN:
      return {IoResult::Status::eof, 0, 0};
    case SSL_ERROR_SYSCALL:
      if (saved_errno != 0)
        return fail(saved_errno, std::string("TLS ") + op + ": " + std::strerror(saved_errno));
      unclean_eof_ = true;
      return {IoResult::Status::eof, 0, 0};
    default:
      break;
  }
  // OpenSSL 3 reports a bare TCP FIN as an error; echo-style peers (python's close(), socat) end that way.
  if (ERR_GET_REASON(ERR_peek_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
    ERR_clear_error();
    unclean_eof_ = true;
    return {IoResult::Status::eof, 0, 0};
  }
  std::string queue = drain_error_queue();
  return fail(EPROTO, std::string("TLS ") + op + ": " + (queue.empty() ? "protocol error" : queue));
}

IoResult TlsStream::read(std::span<std::byte> buf) noexcept {
  if (failed_) return IoResult::failed(last_error_);
  if (buf.empty()) return IoResult::moved(0);
  std::size_t n = 0;
  ERR_clear_error();
  errno = 0;
  const int ret = SSL_read_ex(ssl_.get(), buf.data(), buf.size(), &n);
  return ret == 1 ? IoResult::moved(n) : io_failed(ret, "read");
}

IoResult TlsStream::write(std::span<const std::byte> data) noexcept {
  if (failed_) return IoResult::failed(last_error_);
  if (data.empty()) return IoResult::moved(0);
  std::size_t n = 0;
  ERR_clear_error();
  errno = 0;
  const int ret = SSL_write_ex(ssl_.get(), data.data(), data.size(), &n);
  return ret == 1 ? IoResult::moved(n) : io_failed(ret, "write");
}

IoResult TlsStream::shutdown_write() noexcept {
  if (failed_) return IoResult::failed(last_error_ ? last_error_ : EPIPE);
  if (close_sent_) return IoResult::moved(0);
  ERR_clear_error();
  errno = 0;
  // 0: our close_notify is out (the peer's not yet seen); 1: both are. Either ends our direction.
  const int ret = SSL_shutdown(ssl_.get());
  if (ret >= 0) {
    close_sent_ = true;
    return IoResult::moved(0);
  }
  const IoResult result = io_failed(ret, "shutdown");
  return result.status == IoResult::Status::eof ? IoResult::moved(0) : result;
}

std::size_t TlsStream::buffered() const noexcept {
  const int pending = SSL_pending(ssl_.get());
  return pending > 0 ? static_cast<std::size_t>(pending) : 0;
}

bool TlsStream::request_key_update() noexcept {
  if (!established_ || SSL_version(ssl_.get()) < TLS1_3_VERSION) return false;
  return SSL_key_update(ssl_.get(), SSL_KEY_UPDATE_REQUESTED) == 1;
}

}  // namespace nt::tls
