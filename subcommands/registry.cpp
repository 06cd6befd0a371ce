// The explicit, sorted table of subcommands: name, one-line summary, setup, whether it supports --pcap
// (describes its traffic through Runtime::capture). No self-registration.
#include "subcommands/registry.hpp"

#include <array>

#include "subcommands/chat/chat_server.hpp"
#include "subcommands/chat/client.hpp"
#include "subcommands/fd_pass/fd_pass.hpp"
#include "subcommands/multicast/multicast.hpp"
#include "subcommands/ping/ping.hpp"
#include "subcommands/portscan/portscan.hpp"
#include "subcommands/schema/schema.hpp"
#include "subcommands/sockopt/sockopt.hpp"
#include "subcommands/tcp_echo/tcp_echo.hpp"
#include "subcommands/udp_time/udp_time.hpp"

namespace nt {

namespace {
constexpr std::array kCommands{
    cli::CommandSpec{"chat-client", "newline-JSON chat client: terminal UI or scripted", chat::setup_client,
                     true},
    cli::CommandSpec{"chat-server", "newline-JSON chat server (rooms, private messages, TLS)",
                     chat::server_setup, true},
    cli::CommandSpec{"fd-pass", "pass open descriptors over unix sockets (SCM_RIGHTS), socket activation",
                     fd_pass::setup},
    cli::CommandSpec{"multicast", "IPv4/IPv6 multicast sender and receiver with per-sender loss",
                     multicast::setup, true},
    cli::CommandSpec{"ping", "ICMP/ICMPv6 echo to one host or thousands", ping::setup, true},
    cli::CommandSpec{"portscan", "TCP connect/SYN and UDP port scanner", portscan::setup, true},
    cli::CommandSpec{"schema", "the JSON Schema of a command's records", schema::setup},
    cli::CommandSpec{"sockopt", "every option of a socket, decoded: fresh, inherited or another process's",
                     sockopt::setup},
    cli::CommandSpec{"tcp-echo", "TCP echo server, client and load generator", tcp_echo::setup, true},
    cli::CommandSpec{"udp-time", "daytime, RFC 868 time and SNTP server and client", udp_time::setup, true},
};
}  // namespace

std::span<const cli::CommandSpec> command_table() {
  return kCommands;
}

}  // namespace nt
