// Where the sockets to inspect come from: a fresh one (--new), one we inherited (--fd), another
// process's (--pid, through pidfd_getfd), or a live one we connect / listen with (--connect,
// --listen [--accept]). Each returns what it opened; the caller inspects.
#pragma once
#include <chrono>
#include <functional>
#include <vector>

#include "net/fd.hpp"
#include "subcommands/sockopt/inspect.hpp"
#include "subcommands/sockopt/options.hpp"
#include "subcommands/sockopt/set.hpp"

namespace nt::sockopt {

struct Acquired {
  net::UniqueFd owned;  // invalid for --fd (borrowed: `handle_fd` is the inherited number)
  int handle_fd = -1;
  Origin origin;
  std::vector<SetResult> sets;
};

Acquired open_fresh(const Options& o, const std::vector<SetRequest>& sets);
Acquired borrow_inherited(int fd);
// Every socket of the process (or its --fd), duplicated into this process; empty when it has none.
std::vector<Acquired> take_from_process(int pid, std::optional<int> fd);
Acquired open_connected(const Options& o, const std::vector<SetRequest>& sets, int family);
Acquired open_listening(const Options& o, const std::vector<SetRequest>& sets, int family);
// With --accept: waits up to the timeout for one connection on `listener`. Throws RuntimeError on
// timeout.
Acquired accept_one(const Acquired& listener, std::chrono::milliseconds timeout);

}  // namespace nt::sockopt
