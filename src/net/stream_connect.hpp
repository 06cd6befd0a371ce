// A client's connection as a stream: connect to the first address that answers, drop privileges, wrap
// the socket (plain or TLS) and complete the handshake, all bounded by one timeout per step. Shared by
// tcp-echo's client and chat-client.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "net/address.hpp"
#include "net/stream.hpp"

namespace nt::net {

struct StreamTarget {
  std::string text;  // as the user typed it, for messages
  std::vector<SocketAddress> addrs;
  std::chrono::milliseconds timeout{};
  StreamFactory stream_factory = plain_stream;
  // --pcap: called before each connect (the SYN leaves before our port is known), and once connected
  // to an IP peer with our local port.
  std::function<void()> connecting;
  std::function<void(const SocketAddress& peer, uint16_t local_port)> connected;
};

// A connected, non-blocking stream whose handshake is complete.
struct ConnectedStream {
  std::unique_ptr<Stream> stream;
  SocketAddress peer;
};

// Throws RuntimeError (exit 3) naming the peer and the reason: refused, timed out, interrupted, or the
// handshake's failure. TCP peers get TCP_NODELAY: a client's small writes must leave at once.
ConnectedStream connect_stream(const StreamTarget& target);

// Words for a failed stream operation: "timed out", "connection closed", or the stream's error text.
std::string stream_error(const Stream& stream, const IoResult& result);

}  // namespace nt::net
