// fd-pass: hands open descriptors between processes over unix sockets (SCM_RIGHTS, unix(7)) with
// their names, and starts a command with received ones under systemd's socket-activation protocol
// (sd_listen_fds(3)). Peer identity from SO_PEERCRED / SO_PEERPIDFD and SCM_CREDENTIALS. No
// privileges needed (a --tcp-listen port below 1024 needs CAP_NET_BIND_SERVICE).
#include "subcommands/fd_pass/fd_pass.hpp"

#include <CLI/CLI.hpp>
#include <memory>

#include "cli/command_tail.hpp"
#include "sys/error.hpp"

namespace nt::fd_pass {

namespace {

enum class Mode { none, send, recv };

struct Options {
  Mode mode = Mode::none;
  SendOptions send;
  RecvOptions recv;
};

void add_socket_option(CLI::App& app, std::string& socket) {
  app.add_option("-s,--socket", socket, "Unix socket: PATH, unix:PATH or @NAME (abstract)")
      ->required()
      ->type_name("FILE");
}

void add_send_options(CLI::App& app, SendOptions& o) {
  add_socket_option(app, o.socket);
  app.add_option("--fd", o.fds, "Pass inherited descriptor N, named NAME (default fdN); repeatable")
      ->type_name("N[:NAME]");
  app.add_option("--open", o.opens, "Open PATH read-only and pass it (named 'file'); repeatable")
      ->type_name("FILE");
  app.add_option("--tcp-listen", o.tcp_listens,
                 "Create a TCP socket listening on ADDR:PORT and pass it (named 'tcp'); repeatable")
      ->type_name("ADDR:PORT");
  auto* connect = app.add_flag("--connect", o.connect, "Connect to --socket (the default)");
  app.add_flag("--listen", o.listen, "Listen on --socket and pass to the first peer that connects")
      ->excludes(connect);
  app.add_option("--timeout", o.timeout_s, "Seconds to wait for the connection (0: forever)")
      ->capture_default_str()
      ->type_name("S");
}

void add_recv_options(CLI::App& app, RecvOptions& o) {
  add_socket_option(app, o.socket);
  auto* listen = app.add_flag("--listen", o.listen, "Listen on --socket for one sender (the default)");
  app.add_flag("--connect", o.connect, "Connect to --socket (a sender that listens)")->excludes(listen);
  app.add_option("--allow-uid", o.allow_uid, "Refuse (exit 1) descriptors from any other user id")
      ->type_name("UID");
  app.add_option("--max-fds", o.max_fds, "Most descriptors accepted; more are lost and reported")
      ->capture_default_str()
      ->type_name("N");
  app.add_option("--timeout", o.timeout_s,
                 "Seconds to wait for the connection and for each message (0: forever)")
      ->capture_default_str()
      ->type_name("S");
  app.add_flag("--exec", o.exec,
               "Run the command that follows (CMD ARGS…, the rest of the line) with the descriptors at "
               "3, 4, … and LISTEN_FDS, LISTEN_PID, LISTEN_FDNAMES set");
  cli::register_command_tail("--exec");  // every word after --exec is the command's, options too
  app.add_option("command", o.command, "With --exec: the command and its arguments")->type_name("CMD ARGS…");
}

}  // namespace

cli::RunFn setup(CLI::App& app) {
  auto opts = std::make_shared<Options>();
  app.require_subcommand(1, 1);
  CLI::App* send = app.add_subcommand("send", "Pass descriptors to a peer on a unix socket");
  add_send_options(*send, opts->send);
  send->callback([opts] { opts->mode = Mode::send; });
  CLI::App* recv =
      app.add_subcommand("recv", "Receive descriptors; describe them or run a command with them");
  add_recv_options(*recv, opts->recv);
  recv->callback([opts] { opts->mode = Mode::recv; });
  return [opts](cli::Runtime& rt) {
    if (opts->mode == Mode::send) return run_send(opts->send, rt);
    return run_recv(opts->recv, rt);
  };
}

}  // namespace nt::fd_pass
