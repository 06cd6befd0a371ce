// One socket inspected: its identity (net/socket_description), every table option that applies to
// its family and type grouped by level (refusals as null with the errno's name in option_errors),
// TCP_INFO and TCP_CC_INFO for TCP sockets, and the --set results: the `socket` record.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "net/socket_handle.hpp"
#include "output/record.hpp"
#include "subcommands/sockopt/set.hpp"

namespace nt::sockopt {

struct Origin {
  std::string source;      // "new", "fd", "pid", "connect", "listen", "accept"
  int fd = -1;             // the descriptor's number where it lives (the other process's for pid)
  std::optional<int> pid;  // with --pid
  bool foreign = false;    // not ours: intrusive reads are skipped (net::intrusive_read)
};

struct Inspection {
  output::Record record{"socket"};
  int options_read = 0;
  int options_refused = 0;
};

Inspection inspect_socket(net::SocketHandle s, const Origin& origin, const std::vector<SetResult>& sets = {});

}  // namespace nt::sockopt
