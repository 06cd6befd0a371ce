#include "tls_session.hpp"

#include <sys/socket.h>

#include <stdexcept>

#include "tls_pki.hpp"

namespace nt::tls::testing {

using net::IoResult;

Session handshake(const SharedCtx& client_ctx, const SharedCtx& server_ctx, const std::string& name,
                  const std::string& pin) {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) != 0)
    throw std::runtime_error("socketpair");
  Session s;
  s.client = TlsStream::client(net::UniqueFd(sv[0]), client_ctx, ClientPeer{.name = name, .pin = pin});
  s.server = TlsStream::server(net::UniqueFd(sv[1]), server_ctx);
  s.client_result = s.server_result = IoResult{IoResult::Status::want_read, 0, 0};
  for (int round = 0; round < 20; ++round) {
    if (s.client_result.would_block()) s.client_result = s.client->handshake();
    if (s.server_result.would_block()) s.server_result = s.server->handshake();
    if (!s.client_result.would_block() && !s.server_result.would_block()) break;
  }
  return s;
}

std::string transfer(TlsStream& from, TlsStream& to, const std::string& data) {
  std::size_t sent = 0;
  std::string got;
  std::byte buf[4096];
  for (int round = 0; round < 1000 && got.size() < data.size(); ++round) {
    if (sent < data.size()) {
      const auto rest = std::as_bytes(std::span(data)).subspan(sent);
      const IoResult w = from.write(rest);
      if (w.ok()) sent += w.bytes;
      if (w.status == IoResult::Status::error) break;
    }
    const IoResult r = to.read(buf);
    if (r.ok()) got.append(reinterpret_cast<const char*>(buf), r.bytes);
    if (r.status == IoResult::Status::error || r.status == IoResult::Status::eof) break;
  }
  return got;
}

SharedCtx trusting_client(ClientConfig config) {
  if (config.ca.empty()) config.ca = pki().ca.cert_file;
  return make_client_context(config);
}

SharedCtx server_with(const std::string& cert_file, const std::string& key_file, ServerConfig config) {
  config.cert = cert_file;
  config.key = key_file;
  return make_server_context(config);
}

}  // namespace nt::tls::testing
