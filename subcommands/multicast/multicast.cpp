// nettool multicast: is multicast getting through, from whom, with what loss, TTL and delay?
//   send  `nettool multicast send GROUP:PORT`: numbered, timestamped datagrams (payload header in
//         payload.hpp) to an IPv4 or IPv6 group, or to an IPv4 broadcast address (--broadcast), at
//         --rate per second, with --ttl/--hops, --loop, --tos, from --iface.
//   recv  `nettool multicast recv GROUP:PORT`: joins the group any-source (RFC 1112, RFC 2710) or
//         source-specific (RFC 4607, --source; RFC 3678 MCAST_JOIN_SOURCE_GROUP), and reports per
//         sender received/lost/duplicated/reordered/gaps, one-way delay, TTL, TOS and interface;
//         datagrams without the header are counted as foreign with their source.
// Privileges: none. Capabilities, if any, are dropped once the socket is open.
#include "subcommands/multicast/multicast.hpp"

#include <CLI/CLI.hpp>

#include <map>
#include <memory>
#include <string>

#include "cli/validate.hpp"
#include "subcommands/multicast/receiver.hpp"
#include "subcommands/multicast/sender.hpp"

namespace nt::multicast {

namespace {
enum class Verb { none, send, recv };

struct Options {
  Verb verb = Verb::none;
  SendOptions send;
  RecvOptions recv;
};

const char* kTargetHelp =
    "GROUP:PORT: 239.1.2.3:5000, [ff15::1]:5000, [ff02::1%eth0]:5000 (or broadcast with --broadcast)";
const char* kIfaceHelp = "interface NAME, INDEX or ADDR (default: the interface of the route to the group)";

// The value labels --help shows (CLI11 would say TEXT, UINT, FLOAT).
void label_values(CLI::App& app) {
  static const std::map<std::string, std::string> kLabels = {
      {"group", "GROUP:PORT"}, {"--iface", "IFACE"}, {"--source", "ADDR"},  {"--ttl", "N"},
      {"--loop", "on|off"},    {"--tos", "N"},       {"--rate", "PPS"},     {"--count", "N"},
      {"--size", "BYTES"},     {"--duration", "S"},  {"--sender-id", "ID"}, {"--interval", "S"},
      {"--expect", "N"},       {"--senders", "K"},   {"--timeout", "S"},    {"--buffer", "BYTES"},
      {"--batch", "N"}};
  for (CLI::Option* opt : app.get_options()) {
    const std::string name = opt->get_lnames().empty() ? opt->get_name() : "--" + opt->get_lnames().front();
    if (auto it = kLabels.find(name); it != kLabels.end()) opt->type_name(it->second);
  }
}

void add_send_options(CLI::App& app, SendOptions& o) {
  app.add_option("group", o.target, kTargetHelp)->required()->type_name("GROUP:PORT");
  app.add_option("--iface", o.iface, kIfaceHelp);
  app.add_option("--source", o.source, "local address to send from (default: the kernel's choice)");
  app.add_flag("--broadcast", o.broadcast, "send to an IPv4 broadcast address (SO_BROADCAST)");
  cli::whole_option(app.add_option("--ttl,--hops", o.hops, "IP TTL / IPv6 hop limit (default 1: this link)"),
                    0, 255);
  app.add_option("--loop", o.loop, "deliver to receivers on this host too (default on)");
  cli::whole_option(app.add_option("--tos", o.tos, "IP TOS / IPv6 traffic class byte (default 0)"), 0, 255);
  cli::number_option(
      app.add_option("--rate", o.rate, "datagrams per second, 0 = as fast as possible (default 10)"),
      {0.0, 1e9}, "datagrams per second");
  cli::whole_option(app.add_option("--count", o.count, "datagrams to send, 0 = no limit (default 0)"), 0,
                    1'000'000'000'000);
  cli::whole_option(
      app.add_option("--size", o.size, "UDP payload bytes, header included, 32-65507 (default 64)"), 32,
      65507);
  cli::seconds_option(app.add_option("--duration", o.duration_s, "seconds to send, 0 = no limit (default 0)"),
                      {0.0, 31'536'000.0});
  cli::whole_option(app.add_option("--sender-id", o.sender_id, "sender id in the header (default: random)"),
                    0, 4294967295LL);
  cli::seconds_option(
      app.add_option("--interval", o.interval_s, "seconds between interval records, 0 = none (default 1)"),
      {0.0, 86400.0});
}

void add_recv_options(CLI::App& app, RecvOptions& o) {
  app.add_option("group", o.target, kTargetHelp)->required()->type_name("GROUP:PORT");
  app.add_option("--iface", o.iface, kIfaceHelp);
  app.add_option("--source", o.sources,
                 "source-specific join: receive only from ADDR, repeatable (default: any source)");
  app.add_flag("--broadcast", o.broadcast, "receive IPv4 broadcast on the address given (0.0.0.0:PORT: any)");
  cli::whole_option(
      app.add_option("--expect", o.expect,
                     "exit 0 once N datagrams came from every expected sender (default: no verdict)"),
      1, 1'000'000'000'000);
  cli::whole_option(
      app.add_option("--senders", o.senders,
                     "senders that must each deliver --expect (default 1, or one per --source)"),
      1, 1024);
  cli::seconds_option(
      app.add_option("--timeout", o.timeout_s, "with --expect: exit 1 after S seconds (default: wait)"),
      {0.001, 31'536'000.0});
  cli::seconds_option(
      app.add_option("--duration", o.duration_s, "seconds to receive, 0 = no limit (default 0)"),
      {0.0, 31'536'000.0});
  cli::seconds_option(
      app.add_option("--interval", o.interval_s, "seconds between interval records, 0 = none (default 1)"),
      {0.0, 86400.0});
  cli::whole_option(app.add_option("--buffer", o.buffer, "receive buffer bytes to ask for (default 4194304)"),
                    4096, 1 << 30);
  cli::whole_option(app.add_option("--batch", o.batch, "datagrams per recvmmsg call (default 64)"), 1, 1024);
}
}  // namespace

cli::RunFn setup(CLI::App& app) {
  auto opts = std::make_shared<Options>();
  app.require_subcommand(1, 1);
  CLI::App* send = app.add_subcommand("send", "send numbered, timestamped datagrams to a group");
  add_send_options(*send, opts->send);
  label_values(*send);
  send->callback([opts] { opts->verb = Verb::send; });
  CLI::App* recv =
      app.add_subcommand("recv", "join a group and report every sender's loss, order, delay, TTL");
  add_recv_options(*recv, opts->recv);
  label_values(*recv);
  recv->callback([opts] { opts->verb = Verb::recv; });
  return [opts](cli::Runtime& rt) {
    return opts->verb == Verb::send ? run_send(opts->send, rt) : run_recv(opts->recv, rt);
  };
}

}  // namespace nt::multicast
