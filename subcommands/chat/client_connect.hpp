// Where chat-client connects: the target's addresses and how a socket becomes a stream (plain or TLS);
// net::connect_stream connects, bounded by the timeout (a reconnect waits at most that long).
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "net/address.hpp"
#include "net/stream_connect.hpp"

namespace nt::chat {

using ClientTarget = net::StreamTarget;

// Parses TARGET (HOST[:PORT], [V6][:PORT] with chat-server's port 7008 by default, unix:/PATH, @NAME;
// UsageError when malformed) and resolves it
// (RuntimeError, exit 3, when the name does not resolve).
ClientTarget resolve_client_target(const std::string& target, int family, std::chrono::milliseconds timeout);

using net::ConnectedStream;

}  // namespace nt::chat
