// nettool sockopt inspect: every option of a socket, decoded. The socket is a fresh one of a kind
// (--new: the kernel's defaults), one we inherited (--fd), another process's (--pid: pidfd_open +
// pidfd_getfd, Linux 5.6), or a live one (--connect / --listen [--accept]). For each: identity
// (SO_DOMAIN/SO_TYPE/SO_PROTOCOL, addresses, SO_ACCEPTCONN), every SOL_SOCKET, IPPROTO_IP,
// IPPROTO_IPV6, IPPROTO_TCP and IPPROTO_UDP option of the core's table that applies to its family
// and type (refusals shown as null with the errno's name), TCP_INFO and TCP_CC_INFO. --set changes
// options of sockets we create first and shows what the kernel kept.
// Privileges: none for --new/--fd/--connect/--listen (raw/raw6 need CAP_NET_RAW, ports below 1024
// CAP_NET_BIND_SERVICE); --pid needs ptrace access to the process (its user, or CAP_SYS_PTRACE).
// Every capability is dropped once the sockets are in hand, before any option is read.
#include "subcommands/sockopt/sockopt.hpp"

#include <CLI/CLI.hpp>
#include <memory>

#include "subcommands/sockopt/run.hpp"

namespace nt::sockopt {

namespace {
void add_inspect_options(CLI::App& app, Options& o) {
  app.add_option("--new", o.new_kind, "Inspect a fresh socket of this kind (default: none)")
      ->type_name(kind_choices());
  app.add_option("--fd", o.fd,
                 "Inspect descriptor N: inherited, or with --pid the process's (default: none; with --pid "
                 "every socket)")
      ->type_name("N");
  app.add_option("--pid", o.pid, "Inspect another process's sockets, every one unless --fd (default: none)")
      ->type_name("PID");
  app.add_option("--connect", o.connect, "Inspect a TCP socket connected to HOST:PORT (default: none)")
      ->type_name("TARGET");
  app.add_option("--listen", o.listen, "Inspect a TCP socket listening on ADDR:PORT (default: none)")
      ->type_name("ADDR");
  app.add_flag("--accept", o.accept, "With --listen: also inspect the first connection accepted");
  app.add_option("--set", o.sets,
                 "Set option NAME (SO_RCVBUF or rcvbuf_bytes) to VALUE first, then show what the kernel kept "
                 "(repeatable; --new, --connect, --listen; default: none)")
      ->type_name("NAME=VALUE");
  app.add_option("--timeout", o.timeout_s, "Seconds to wait for --connect and --accept")
      ->capture_default_str()
      ->type_name("S");
}
}  // namespace

cli::RunFn setup(CLI::App& app) {
  auto opts = std::make_shared<Options>();
  app.require_subcommand(1, 1);
  CLI::App* inspect = app.add_subcommand("inspect", "Show every option of a socket, decoded");
  add_inspect_options(*inspect, *opts);
  return [opts](cli::Runtime& rt) { return run_inspect(*opts, rt); };
}

}  // namespace nt::sockopt
