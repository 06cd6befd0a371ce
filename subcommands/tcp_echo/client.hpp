// `tcp-echo client`: pipe, probe, load and bulk modes against any TCP (or unix) echo server.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "net/address.hpp"
#include "net/socket.hpp"
#include "net/stream_connect.hpp"
#include "subcommands/tcp_echo/options.hpp"

namespace nt::tcp_echo {

int run_client(const ClientOptions& opts, cli::Runtime& rt);

// What every mode starts from: the target's addresses, how a connected socket becomes a stream
// (plain; TLS wraps it in a session), and the first connection (made with connect_any, whose error
// names every address tried and why it failed: exit 3).
using Target = net::StreamTarget;
Target resolve_target(const ClientOptions& opts, int family);

using ClientStream = net::ConnectedStream;

int run_pipe(const ClientOptions& opts, cli::Runtime& rt, const Target& target);
int run_probe(const ClientOptions& opts, cli::Runtime& rt, const Target& target);
int run_load(const ClientOptions& opts, cli::Runtime& rt, const Target& target, ClientMode mode);

// "connection reset by peer" for -ECONNRESET: the errno text of a negative transfer result.
std::string transfer_error(long result);
using net::stream_error;

}  // namespace nt::tcp_echo
