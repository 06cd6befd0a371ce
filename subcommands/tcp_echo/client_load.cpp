// Load mode (--bench) and bulk mode (--bulk): open every connection first, then drive them all from
// one event loop (LoadEngine); per-second `interval` records and a `summary`.
#include <fmt/format.h>

#include <span>

#include "subcommands/tcp_echo/client.hpp"
#include "subcommands/tcp_echo/load_engine.hpp"
#include "subcommands/tcp_echo/records.hpp"
#include "sys/error.hpp"
#include "sys/rlimits.hpp"

namespace nt::tcp_echo {

namespace {

constexpr const char* kDefaultMessageSize = "64";

LoadConfig config_of(const ClientOptions& opts, ClientMode mode) {
  LoadConfig cfg;
  if (mode == ClientMode::bulk) {
    cfg.bulk_bytes = parse_size(opts.bulk, "--bulk");
    cfg.size = opts.size.empty() ? Pattern::kMaxChunk
                                 : std::min(parse_size(opts.size, "--size"), Pattern::kMaxChunk);
  } else {
    cfg.size = parse_size(opts.size.empty() ? kDefaultMessageSize : opts.size, "--size");
    cfg.pipeline = opts.pipeline.value_or(kDefaultPipeline);
    cfg.duration = sys::from_seconds(opts.duration_s.value_or(kDefaultDurationS));
  }
  return cfg;
}

}  // namespace

int run_load(const ClientOptions& opts, cli::Runtime& rt, const Target& target, ClientMode mode) {
  LoadConfig cfg = config_of(opts, mode);
  int connections = mode == ClientMode::bulk ? 1 : opts.connections.value_or(kDefaultConnections);
  if (static_cast<std::size_t>(connections) + 64 > sys::raise_fd_limit()) {
    throw UsageError(fmt::format(
        "invalid --connections '{}': more than the open-file limit allows (ulimit -n)", connections));
  }
  LoadEngine engine(cfg, rt.out);
  auto t0 = sys::MonoClock::now();
  ClientStream first = net::connect_stream(target);
  net::SocketAddress first_peer = first.peer;
  auto tls_record = tls::client_tls_record(*first.stream, first_peer.to_string(), false);
  engine.add_connection(std::move(first.stream));
  // The first connection found the address that works; the rest go straight to it.
  Target same = target;
  same.addrs = {first_peer};
  for (int i = 1; i < connections; ++i) engine.add_connection(net::connect_stream(same).stream);
  std::string peer = first_peer.to_string();
  const char* mode_name = mode == ClientMode::bulk ? "bulk" : "load";
  rt.out.emit(
      ConnectedEvent{peer, sys::to_ms(sys::MonoClock::now() - t0), mode_name, connections}.to_record());
  if (tls_record) rt.out.emit(std::move(*tls_record));
  LoadResult r = engine.run();
  LoadSummary summary{peer,
                      mode_name,
                      connections,
                      cfg.size,
                      cfg.pipeline,
                      r.duration_s,
                      r.round_trips,
                      r.bytes,
                      r.errors,
                      r.mismatches,
                      mode == ClientMode::bulk ? nullptr : &r.rtt};
  rt.out.emit(summary.to_record());
  if (!r.first_failure.empty()) {
    throw Error(kExitNegative, fmt::format("{} of {} connections failed; first: {}", r.errors + r.mismatches,
                                           connections, r.first_failure));
  }
  return kExitOk;
}

}  // namespace nt::tcp_echo
