// nettool udp-time: the three UDP time protocols, both ways.
//   client  `nettool udp-time HOST[:PORT] [--protocol daytime|time|sntp]`: queries a server, prints its
//           time, offset and delay; never sets the clock. SNTP per RFC 4330 (client side of RFC 5905)
//           with a random transmit timestamp as the anti-spoofing cookie, KoD handling, retries with
//           exponential backoff and jitter.
//   server  `nettool udp-time server`: RFC 867 daytime, RFC 868 time, SNTP server mode (RFC 5905
//           §9.2); batched recvmmsg/sendmmsg on the event loop; per-source token-bucket rate limiting
//           with RATE kiss-o'-death; never answers malformed requests, never replies larger than needed.
// Privileges: none on the default (unprivileged) ports; ports below 1024 need CAP_NET_BIND_SERVICE,
// which is dropped (with every other capability) once the socket is bound.
#include "subcommands/udp_time/udp_time.hpp"

#include <CLI/CLI.hpp>

#include <memory>

#include "cli/validate.hpp"
#include "subcommands/udp_time/client.hpp"
#include "subcommands/udp_time/options.hpp"
#include "subcommands/udp_time/server.hpp"
#include "sys/error.hpp"

namespace nt::udp_time {

namespace {
const char* kProtocolHelp = "daytime (RFC 867), time (RFC 868) or sntp (RFC 4330; default)";

std::vector<CLI::Option*> add_client_options(CLI::App& app, ClientOptions& o) {
  return {
      app.add_option("host", o.target, "server to query: HOST[:PORT] (port: 13, 37 or 123 by protocol)"),
      cli::whole_option(
          app.add_option("--count", o.count, "samples to take; the lowest-delay one wins (default 1)"), 1,
          100000),
      cli::seconds_option(app.add_option("--interval", o.interval_s, "seconds between samples (default 1)"),
                          {0.0, 3600.0}),
      cli::seconds_option(
          app.add_option("--timeout", o.timeout_s, "seconds to wait for each reply (default 2)"),
          {0.001, 3600.0}),
      cli::whole_option(app.add_option("--retries", o.retries,
                                       "resends after a timeout, with exponential backoff (default 3)"),
                        0, 100),
      cli::seconds_option(app.add_option("--max-offset", o.max_offset_s,
                                         "exit 1 when |offset| exceeds this many seconds (default: never)"),
                          {0.0, 1e9}),
      cli::whole_option(
          app.add_option("--ntp-version", o.ntp_version, "SNTP version to send, 1-4 (default 4)"), 1, 4),
  };
}

void add_server_options(CLI::App& srv, ServerOptions& o) {
  srv.add_option("--listen", o.listen, "ADDR[:PORT] to bind (default every address, port 10013/10037/10123)");
  srv.add_option("--protocol", o.protocol, kProtocolHelp);
  cli::whole_option(srv.add_option("--stratum", o.stratum, "stratum to announce, 1-15 (default 10)"), 1, 15);
  srv.add_option(
      "--refid", o.refid,
      "reference id: 1-4 ASCII characters or an IPv4 address (default LOCL at stratum 1, else 127.127.1.1)");
  cli::number_option(
      srv.add_option("--rate-limit", o.rate_limit, "requests per second per source, 0 = off (default 10)"),
      {0.0, 1e9}, "requests per second");
  cli::number_option(
      srv.add_option("--rate-burst", o.rate_burst, "requests a source may send at once (default 20)"),
      {1.0, 1e9}, "requests");
  srv.add_option("--limit-action", o.limit_action,
                 "over the limit: kod (SNTP RATE kiss-o'-death) or drop (default: kod)");
  cli::whole_option(
      srv.add_option("--max-sources", o.max_sources, "sources the rate limiter tracks (default 16384)"), 4,
      16777216);
  srv.add_option("--daytime-format", o.daytime_format, "daytime reply: ctime (default) or iso (RFC 3339)");
  cli::seconds_option(srv.add_option("--summary-interval", o.summary_interval_s,
                                     "seconds between summaries, 0 = only at exit (default: 60)"),
                      {0.0, 86400.0});
  cli::whole_option(srv.add_option("--batch", o.batch, "datagrams per recvmmsg/sendmmsg call (default 64)"),
                    1, 1024);
  srv.add_flag("--allow-low-ports", o.allow_low_ports,
               "daytime/time: also answer source ports below 1024 (off: no reflection to echo, chargen…)");
}

std::string refused_client_option(const CLI::Option& o) {
  if (o.get_name() == "host") {
    return fmt::format(
        "'udp-time server' takes no host ('{}'): to choose the address to listen on, use "
        "--listen ADDR[:PORT]",
        o.as<std::string>());
  }
  return fmt::format("'udp-time server' takes no {}", o.get_name());
}

}  // namespace

cli::RunFn setup(CLI::App& app) {
  auto opts = std::make_shared<Options>();
  auto client_only = add_client_options(app, opts->client);
  client_only.push_back(app.add_option("--protocol", opts->client.protocol, kProtocolHelp));
  CLI::App* srv = app.add_subcommand("server", "answer daytime, time or SNTP queries");
  srv->fallthrough();
  add_server_options(*srv, opts->srv);
  CLI::Option* listen = srv->get_option("--listen");
  srv->callback([opts, listen] {
    opts->server = true;
    opts->srv.listen_given = listen->count() > 0;
  });
  return [opts, client_only](cli::Runtime& rt) {
    if (opts->server) {
      // CLI11 lets options the server lacks fall through to the client: refuse them here.
      for (const CLI::Option* o : client_only) {
        if (o->count() > 0) throw UsageError(refused_client_option(*o));
      }
      return run_server(opts->srv, rt);
    }
    return run_client(opts->client, rt);
  };
}

}  // namespace nt::udp_time
