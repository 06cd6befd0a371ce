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
#include "net/stream.hpp"
#include "subcommands/tcp_echo/options.hpp"

namespace nt::tcp_echo {

int run_client(const ClientOptions& opts, cli::Runtime& rt);

// What every mode starts from: the target's addresses, how a connected socket becomes a stream
// (plain; TLS wraps it in a session), and the first connection (made with connect_any, whose error
// names every address tried and why it failed: exit 3).
struct Target {
  std::string text;  // as the user typed it, for messages
  std::vector<net::SocketAddress> addrs;
  std::chrono::milliseconds timeout{};
  net::StreamFactory stream_factory = net::plain_stream;
  // Called once connected with the peer and our local port (--pcap narrows its filter to them).
  std::function<void(const net::SocketAddress& peer, uint16_t local_port)> connected;
};
Target resolve_target(const ClientOptions& opts, int family);

// A connected, non-blocking stream whose handshake is complete.
struct ClientStream {
  std::unique_ptr<net::Stream> stream;
  net::SocketAddress peer;
};
// Connects (timeout per address), wraps the socket and completes the handshake within the timeout.
// Throws RuntimeError (exit 3) naming the target and the reason.
ClientStream connect_target(const Target& target);

int run_pipe(const ClientOptions& opts, cli::Runtime& rt, const Target& target);
int run_probe(const ClientOptions& opts, cli::Runtime& rt, const Target& target);
int run_load(const ClientOptions& opts, cli::Runtime& rt, const Target& target, ClientMode mode);

// "connection reset by peer" for -ECONNRESET: the errno text of a negative transfer result.
std::string transfer_error(long result);
// The words for a failed stream call: "timed out", or the stream's own text (errno or TLS reason).
std::string stream_error(const net::Stream& stream, const net::IoResult& result);

}  // namespace nt::tcp_echo
