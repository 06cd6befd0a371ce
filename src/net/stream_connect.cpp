#include "net/stream_connect.hpp"

#include <fmt/format.h>

#include <cerrno>

#include "net/socket.hpp"
#include "sys/error.hpp"
#include "sys/privileges.hpp"

namespace nt::net {

ConnectedStream connect_stream(const StreamTarget& target) {
  if (target.connecting) target.connecting();
  Connection conn = connect_any(target.addrs, target.timeout, true);
  if (target.connected && conn.peer.is_inet())
    target.connected(conn.peer, local_address(conn.fd.get()).port());
  sys::drop_privileges();  // connected (root may have needed CAP_DAC_OVERRIDE for a unix socket)
  // Nagle would hold a small write until the previous one is acknowledged.
  if (conn.peer.is_inet()) set_no_delay(conn.fd.get());
  ConnectedStream cs{target.stream_factory(std::move(conn.fd), conn.peer), conn.peer};
  IoResult r = complete_handshake(*cs.stream, target.timeout);
  if (r.error == EINTR) throw RuntimeError(fmt::format("connecting to {}: interrupted", conn.peer));
  if (!r.ok())
    throw RuntimeError(fmt::format("handshake with {}: {}", conn.peer, stream_error(*cs.stream, r)));
  return cs;
}

std::string stream_error(const Stream& stream, const IoResult& result) {
  if (result.error == ETIMEDOUT) return "timed out";
  if (result.status == IoResult::Status::eof) return "connection closed";
  return stream.error_text();
}

}  // namespace nt::net
