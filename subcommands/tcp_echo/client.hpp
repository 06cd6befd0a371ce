// `tcp-echo client`: pipe, probe, load and bulk modes against any TCP (or unix) echo server.
#pragma once
#include <chrono>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "net/address.hpp"
#include "net/socket.hpp"
#include "subcommands/tcp_echo/options.hpp"

namespace nt::tcp_echo {

int run_client(const ClientOptions& opts, cli::Runtime& rt);

// What every mode starts from: the target's addresses, and the first connection (made with
// connect_any, whose error names every address tried and why it failed: exit 3).
struct Target {
  std::string text;  // as the user typed it, for messages
  std::vector<net::SocketAddress> addrs;
  std::chrono::milliseconds timeout{};
};
Target resolve_target(const ClientOptions& opts, int family);
net::Connection connect_target(const Target& target, bool nonblocking);

int run_pipe(const ClientOptions& opts, cli::Runtime& rt, const Target& target);
int run_probe(const ClientOptions& opts, cli::Runtime& rt, const Target& target);
int run_load(const ClientOptions& opts, cli::Runtime& rt, const Target& target, ClientMode mode);

// "connection reset by peer" for -ECONNRESET: the errno text of a negative transfer result.
std::string transfer_error(long result);

}  // namespace nt::tcp_echo
