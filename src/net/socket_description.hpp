// Who a socket is, from its descriptor alone: family, type and protocol as the kernel reports them
// (SO_DOMAIN/SO_TYPE/SO_PROTOCOL, so also for descriptors we did not open: inherited, or taken from
// another process with pidfd_getfd), its local and peer address, whether it listens (SO_ACCEPTCONN),
// its inode (socket:[N] in /proc/PID/fd, `ino:` in /proc/PID/fdinfo) and O_NONBLOCK. Used by
// `sockopt inspect` and `fd-pass`; the JSON fields are part of their records (man pages, OUTPUT).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "net/address.hpp"
#include "net/socket_handle.hpp"
#include "output/record.hpp"

namespace nt::net {

struct SocketDescription {
  int family = AF_UNSPEC;              // SO_DOMAIN
  int type = 0;                        // SO_TYPE
  int protocol = 0;                    // SO_PROTOCOL (0 for unix sockets)
  uint64_t inode = 0;                  // fstat st_ino
  std::optional<SocketAddress> local;  // getsockname; nullopt when the kernel refused it
  std::optional<SocketAddress> peer;   // getpeername; nullopt when not connected (ENOTCONN)
  bool listening = false;              // SO_ACCEPTCONN
  bool nonblocking = false;            // O_NONBLOCK on the open file description (shared with its owner)

  // "inet", "inet6", "unix", "netlink", "packet"; "" when unnamed.
  std::string_view family_name() const noexcept;
  // "stream", "dgram", "raw", "seqpacket"; "" when unnamed.
  std::string_view type_name() const noexcept;
  // "tcp", "udp", "icmp", "icmpv6", "raw", "sctp", "udplite"; "" for 0 and unnamed protocols.
  std::string_view protocol_name() const noexcept;
  // The short kind people type: "tcp", "tcp6", "udp", "udp6", "raw", "raw6", "unix-stream",
  // "unix-dgram", "unix-seqpacket"; else "FAMILY-TYPE" with numbers where a name is missing.
  std::string kind() const;

  // {"family": "inet", "socket_type": "stream", "protocol": "tcp", "local_address": "127.0.0.1:7",
  //  "peer_address": null, "listening": true, "inode": 1234, "nonblocking": false}
  // (family/socket_type/protocol as numbers when unnamed; protocol 0 as 0). "socket_type", not
  // "type": every record's "type" is its record type.
  output::Json to_json() const;
  // Adds to_json()'s fields to a record, after the fields it already has.
  void add_to(output::Record& rec) const;
  // One line for text mode: "tcp 127.0.0.1:41000 -> 127.0.0.1:7" or "tcp6 [::]:7007 listening".
  std::string summary() const;
};

// Fills `out` from the descriptor: 0, or -errno (-ENOTSOCK for a descriptor that is no socket,
// -EBADF for none). Local/peer address refusals are not errors: they leave the optional empty.
[[nodiscard]] int describe_socket(SocketHandle s, SocketDescription& out) noexcept;

// As above; throws std::system_error ("describing fd N: Socket operation on non-socket").
SocketDescription describe_socket(SocketHandle s);

}  // namespace nt::net
