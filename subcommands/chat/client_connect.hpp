// Where chat-client connects: the target's addresses, how a socket becomes a stream (plain or TLS), and
// one blocking connect + handshake bounded by the timeout (a reconnect waits at most that long).
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "net/address.hpp"
#include "net/stream.hpp"

namespace nt::chat {

struct ClientTarget {
  std::string text;  // as typed, for messages
  std::vector<net::SocketAddress> addrs;
  std::chrono::milliseconds timeout{};
  net::StreamFactory stream_factory = net::plain_stream;
  // --pcap: called before each connect (the SYN leaves before our port is known) and once connected.
  std::function<void()> connecting;
  std::function<void(const net::SocketAddress& peer, uint16_t local_port)> connected;
};

// Parses TARGET (HOST[:PORT], [V6][:PORT] with chat-server's port 7008 by default, unix:/PATH, @NAME;
// UsageError when malformed) and resolves it
// (RuntimeError, exit 3, when the name does not resolve).
ClientTarget resolve_client_target(const std::string& target, int family, std::chrono::milliseconds timeout);

struct ConnectedStream {
  std::unique_ptr<net::Stream> stream;
  net::SocketAddress peer;
};

// Connects to the first address that answers and completes the handshake. Throws RuntimeError naming
// the target and the reason.
ConnectedStream connect_client(const ClientTarget& target);

}  // namespace nt::chat
