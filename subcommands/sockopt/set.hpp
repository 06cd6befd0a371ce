// --set NAME=VALUE on a socket nettool created, then the value the kernel actually keeps, with a
// note where it differs: SO_RCVBUF/SO_SNDBUF are doubled (socket(7): the kernel counts its
// bookkeeping in the buffer) and capped by net.core.rmem_max / wmem_max first.
#pragma once
#include <string>
#include <vector>

#include "net/socket_handle.hpp"
#include "output/record.hpp"
#include "subcommands/sockopt/options.hpp"

namespace nt::sockopt {

struct SetResult {
  const net::SocketOption* option = nullptr;
  output::Json requested;  // as the value decodes, in the same form as `effective`
  output::Json effective;  // read back at once; null when the kernel refused the read
  std::string note;        // empty when effective == requested

  output::Json to_json() const;  // {"option", "key", "requested", "effective", "note"}
};

struct BufferLimits {
  long long rmem_max = -1;  // net.core.rmem_max; -1 unknown
  long long wmem_max = -1;
};
BufferLimits read_buffer_limits();

// Why `effective` differs from `requested` ("" when it does not).
std::string effective_note(const net::SocketOption& o, const output::Json& requested,
                           const output::Json& effective, const BufferLimits& limits);

// Sets each option in order. Throws UsageError for an option that does not apply to the socket or
// a value the kernel refuses (EINVAL, ENOENT…), PrivilegeError for EPERM/EACCES naming
// CAP_NET_ADMIN.
std::vector<SetResult> apply_sets(net::SocketHandle s, const std::vector<SetRequest>& requests, int family,
                                  int type);

}  // namespace nt::sockopt
