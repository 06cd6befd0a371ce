// The command line of chat-server (the server itself: server.cpp).
#include "subcommands/chat/chat_server.hpp"

#include <CLI/CLI.hpp>
#include <memory>

#include "subcommands/chat/server.hpp"
#include "sys/error.hpp"

namespace nt::chat {

namespace {
void add_limits(CLI::App& app, ServerOptions& o) {
  app.add_option("--max-clients", o.max_clients, "Connections served at once; more are refused")
      ->capture_default_str()
      ->type_name("N");
  app.add_option("--max-per-ip", o.max_per_ip, "Connections at once per client address (0: no limit)")
      ->capture_default_str()
      ->type_name("N");
  app.add_option("--max-line", o.max_line, "Longest line accepted, in bytes (longer: error 413)")
      ->capture_default_str()
      ->type_name("BYTES");
  app.add_option("--max-queue", o.max_queue,
                 "Output bytes waiting for one client before it is dropped as a slow reader")
      ->capture_default_str()
      ->type_name("BYTES");
  app.add_option("--rate", o.rate, "Lines per second per client (0: no limit; over it: error 429)")
      ->capture_default_str()
      ->type_name("N");
  app.add_option("--burst", o.burst, "Lines at once above --rate")->capture_default_str()->type_name("N");
  app.add_option("--max-announce", o.max_announce,
                 "Announce joins and leaves while the room has at most N members")
      ->capture_default_str()
      ->type_name("N");
}
}  // namespace

cli::RunFn server_setup(CLI::App& app) {
  auto opts = std::make_shared<ServerOptions>();
  CLI::Option* listen =
      app.add_option("-l,--listen", opts->listen,
                     "Address to listen on: HOST:PORT, [V6]:PORT, :PORT, PORT, unix:/PATH or @NAME "
                     "(default [::]:7008, dual-stack)")
          ->type_name("ADDR");
  app.add_option("--listen-fd", opts->listen_fd,
                 "Serve the listening socket inherited as descriptor N instead of --listen (default: "
                 "LISTEN_FDS when systemd-style socket activation hands one)")
      ->type_name("N")
      ->excludes(listen);
  add_limits(app, *opts);
  app.add_option("--heartbeat", opts->heartbeat_s, "Ping a client silent for S seconds (0: never)")
      ->capture_default_str()
      ->type_name("S");
  app.add_option("--idle-timeout", opts->idle_timeout_s, "Drop a client silent for S seconds (0: never)")
      ->capture_default_str()
      ->type_name("S");
  app.add_option("--stats-interval", opts->stats_interval_s,
                 "Seconds between stats records (0: only the final summary)")
      ->capture_default_str()
      ->type_name("S");
  tls::add_tls_options(app, opts->tls);
  return [opts, listen](cli::Runtime& rt) {
    if (listen->count() > 0 && opts->listen.empty()) {
      throw UsageError("invalid --listen '': empty (omit --listen for the default [::]:7008)");
    }
    return run_server(*opts, rt);
  };
}

}  // namespace nt::chat
