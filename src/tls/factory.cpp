#include "tls/factory.hpp"

#include "tls/stream.hpp"

namespace nt::tls {

net::StreamFactory client_factory(SharedCtx ctx, ClientPeer peer) {
  return [ctx = std::move(ctx), peer = std::move(peer)](
             net::UniqueFd fd, const net::SocketAddress&) -> std::unique_ptr<net::Stream> {
    return TlsStream::client(std::move(fd), ctx, peer);
  };
}

net::StreamFactory server_factory(const ServerContext& ctx) {
  return [&ctx](net::UniqueFd fd, const net::SocketAddress&) -> std::unique_ptr<net::Stream> {
    return TlsStream::server(std::move(fd), ctx.current());
  };
}

std::optional<ConnectionInfo> info_of(const net::Stream& stream) {
  const auto* tls = dynamic_cast<const TlsStream*>(&stream);
  if (!tls || !tls->established()) return std::nullopt;
  return tls->info();
}

}  // namespace nt::tls
