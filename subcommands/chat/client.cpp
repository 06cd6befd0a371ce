// chat-client: joins a newline-delimited JSON chat (issue 12's protocol: flat objects sent, flat and
// nested `data` forms accepted) over TCP, unix or abstract sockets, optionally TLS. Interactive on a
// terminal (libedit line editing), scripted otherwise. No privileges needed.
#include "subcommands/chat/client.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <memory>

#include "pcap/traffic_filter.hpp"
#include "subcommands/chat/client_input.hpp"
#include "sys/clock.hpp"
#include "sys/error.hpp"

namespace nt::chat {

namespace {

void add_options(CLI::App& app, ClientOptions& o) {
  app.add_option("target", o.target,
                 "Chat server: HOST[:PORT], [V6][:PORT] (port 7008 by default), unix:/PATH or @NAME")
      ->required()
      ->type_name("TARGET");
  app.add_option("-n,--name", o.name, "Name to join as (1-32 characters; default $USER)")->type_name("NAME");
  app.add_option("--send", o.send, "Send TEXT as a message once joined (repeatable, in order)")
      ->type_name("TEXT")
      ->take_all()
      ->expected(1);
  app.add_flag("--exit", o.exit_after_ack,
               "Exit once the server acknowledged the --send messages (stdin is not read)");
  app.add_flag("--stay", o.stay, "Scripted mode: keep running after stdin ends");
  app.add_option("--wait-for", o.wait_for,
                 "Exit 0 once a server record matches KEY=VALUE[,KEY~VALUE...], 1 after --timeout")
      ->type_name("PATTERN");
  app.add_option("--timeout", o.timeout_s,
                 "Seconds for connecting, and the deadline of --exit and --wait-for")
      ->capture_default_str()
      ->type_name("S");
  app.add_flag("--reconnect", o.reconnect, "Reconnect after a loss (exponential backoff, jitter), same name");
  app.add_option("--reconnect-attempts", o.max_attempts,
                 "With --reconnect: failed connects in a row before exit 3")
      ->type_name("N");
  app.add_flag("--script", o.scripted, "Scripted mode even on a terminal");
  tls::add_tls_options(app, o.tls);
}

SessionConfig session_config(const ClientOptions& o, cli::Runtime& rt) {
  SessionConfig c;
  c.name = effective_name(o, std::getenv("USER"));
  c.send = o.send;
  c.exit_after_ack = o.exit_after_ack;
  c.stay = o.stay;
  if (o.wait_for) c.wait_for = parse_pattern(*o.wait_for);
  c.timeout = sys::from_seconds(o.timeout_s);
  c.reconnect = o.reconnect;
  c.max_attempts = o.max_attempts;
  c.style.color = output::color_enabled(rt.global.color, stdout);
  return c;
}

// --pcap: each connect is recorded under a filter on the server's addresses (our port is not known
// before the SYN leaves), narrowed to the connection once connected; a --reconnect widens it again.
void capture_own_traffic(ClientTarget& target, cli::Runtime& rt) {
  target.connecting = [&rt, addrs = target.addrs] {
    capture::TrafficFilter traffic;
    for (const auto& addr : addrs) traffic.conversation(capture::Transport::tcp, addr);
    rt.capture(traffic);
  };
  target.connected = [&rt](const net::SocketAddress& peer, uint16_t local_port) {
    rt.capture(capture::TrafficFilter().conversation(capture::Transport::tcp, peer, local_port));
  };
  target.connecting();  // now: a unix socket with --pcap is a usage error before anything happens
}

}  // namespace

cli::RunFn setup_client(CLI::App& app) {
  auto opts = std::make_shared<ClientOptions>();
  add_options(app, *opts);
  return [opts](cli::Runtime& rt) { return run_client(*opts, rt); };
}

int run_client(const ClientOptions& o, cli::Runtime& rt) {
  validate(o);
  SessionConfig config = session_config(o, rt);
  ClientMode mode =
      choose_mode(o, ::isatty(STDIN_FILENO) == 1, ::isatty(STDOUT_FILENO) == 1, rt.global.format);
  auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(config.timeout);
  ClientTarget target = resolve_client_target(o.target, rt.global.family, timeout);
  target.stream_factory = tls::client_stream_factory(o.tls, o.target, rt);
  capture_own_traffic(target, rt);
  event::EventLoop loop;
  if (mode == ClientMode::interactive) return run_interactive(loop, config, target, rt);
  return run_scripted(loop, config, target, !o.exit_after_ack, rt);
}

int run_scripted(event::EventLoop& loop, const SessionConfig& config, const ClientTarget& target,
                 bool read_stdin, cli::Runtime& rt) {
  ChatSession session(loop, config, target, [&rt](output::Record rec) { rt.out.emit(std::move(rec)); });
  loop.on_signal([&session](int) { session.interrupted(); });
  session.start();
  std::unique_ptr<ScriptInput> input;
  if (read_stdin) input = std::make_unique<ScriptInput>(loop, session, rt.warn);
  loop.run();
  return conclude(session, rt);
}

int conclude(const ChatSession& session, cli::Runtime& rt) {
  rt.out.emit(session.summary().to_record());
  if (!session.failure().empty()) throw nt::Error(session.exit_code(), session.failure());
  return session.exit_code();
}

}  // namespace nt::chat
