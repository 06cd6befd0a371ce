// tcp-echo: an echo server (RFC 862, over TCP and unix sockets) and a client that checks every echoed
// byte — pipe, probe, load-generator and bulk modes. The server is one epoll loop per --threads
// (SO_REUSEPORT), with backpressure, idle timeouts and client limits. No privileges needed (a port
// below 1024, such as RFC 862's port 7, needs CAP_NET_BIND_SERVICE).
#include "subcommands/tcp_echo/tcp_echo.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "subcommands/tcp_echo/client.hpp"
#include "subcommands/tcp_echo/options.hpp"
#include "subcommands/tcp_echo/server.hpp"
#include "sys/error.hpp"

namespace nt::tcp_echo {

namespace {

enum class Role { none, server, client };

struct Options {
  Role role = Role::none;
  ServerOptions server;
  ClientOptions client;
};

void add_server_options(CLI::App& app, ServerOptions& o) {
  app.add_option("-l,--listen", o.listen,
                 "Address to listen on: HOST:PORT, [V6]:PORT, :PORT, PORT, unix:/PATH or @NAME "
                 "(default [::]:7007, dual-stack)")
      ->type_name("ADDR");
  app.add_option("--listen-fd", o.listen_fd,
                 "Serve the listening socket inherited as descriptor N instead of --listen (default: "
                 "LISTEN_FDS when systemd-style socket activation hands one)")
      ->type_name("N")
      ->excludes("--listen");
  app.add_option("--max-clients", o.max_clients, "Connections served at once; more are refused")
      ->capture_default_str()
      ->type_name("N");
  app.add_option("--max-per-ip", o.max_per_ip, "Connections served at once per client address (0: no limit)")
      ->capture_default_str()
      ->type_name("N");
  app.add_option("--idle-timeout", o.idle_timeout_s, "Close a connection silent for S seconds (0: never)")
      ->capture_default_str()
      ->type_name("S");
  app.add_option("-t,--threads", o.threads, "Event loops, one per thread (SO_REUSEPORT)")
      ->capture_default_str()
      ->type_name("N");
  add_tls_options(app, o.tls);
}

void add_client_options(CLI::App& app, ClientOptions& o) {
  app.add_option("target", o.target, "Echo server: HOST:PORT, [V6]:PORT, unix:/PATH or @NAME")
      ->required()
      ->type_name("TARGET");
  app.add_flag("--stdin", o.force_stdin, "Pipe mode even on a terminal: stdin → server → stdout, verified");
  app.add_option("-c,--count", o.count, "Probe mode: round trips to make (default 5)")->type_name("N");
  app.add_option("-s,--size", o.size, "Bytes per probe or message (K, M suffixes; default 64)")
      ->type_name("BYTES");
  app.add_option("-i,--interval", o.interval_s, "Probe mode: seconds between probes (default 1)")
      ->type_name("S");
  app.add_flag("--bench", o.bench, "Load mode: connections ping-pong as fast as they can");
  // Unset unless given (validate refuses them without --bench); the help still shows the defaults.
  app.add_option("-C,--connections", o.connections, "Load mode: connections")
      ->default_str(std::to_string(kDefaultConnections))
      ->type_name("C");
  app.add_option("-d,--duration", o.duration_s, "Load mode: seconds to run")
      ->default_str(fmt::format("{}", kDefaultDurationS))
      ->type_name("S");
  app.add_option("--pipeline", o.pipeline, "Load mode: messages in flight per connection")
      ->default_str(std::to_string(kDefaultPipeline))
      ->type_name("K");
  app.add_option("--bulk", o.bulk,
                 "Bulk mode: stream BYTES (K, M, G suffixes) and report MB/s (default: off)")
      ->type_name("BYTES");
  app.add_option("--timeout", o.timeout_s, "Seconds to wait for the connection and for each echo")
      ->capture_default_str()
      ->type_name("S");
  add_tls_options(app, o.tls);
}

}  // namespace

cli::RunFn setup(CLI::App& app) {
  auto opts = std::make_shared<Options>();
  app.require_subcommand(1, 1);
  CLI::App* server = app.add_subcommand("server", "Echo every byte back, for any number of clients");
  add_server_options(*server, opts->server);
  server->callback([opts] { opts->role = Role::server; });
  CLI::App* client =
      app.add_subcommand("client", "Send to an echo server and check every byte that comes back");
  add_client_options(*client, opts->client);
  client->callback([opts] { opts->role = Role::client; });
  CLI::Option* listen = server->get_option("--listen");
  return [opts, listen](cli::Runtime& rt) {
    // An empty value would otherwise mean the default, every address (issue 18.2).
    if (opts->role == Role::server && listen->count() > 0 && opts->server.listen.empty()) {
      throw UsageError("invalid --listen '': empty (omit --listen for the default [::]:7007)");
    }
    return opts->role == Role::server ? run_server(opts->server, rt) : run_client(opts->client, rt);
  };
}

}  // namespace nt::tcp_echo
