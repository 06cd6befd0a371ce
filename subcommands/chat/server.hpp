// `chat-server`: the newline-JSON chat room on the core stream server (protocol.hpp, server_room.hpp).
#pragma once
#include "cli/command.hpp"
#include "net/address.hpp"
#include "subcommands/chat/server_options.hpp"

namespace nt::chat {

int run_server(const ServerOptions& opts, cli::Runtime& rt);

// The address --listen names: empty is the dual-stack wildcard on port 7008 ([::], or 0.0.0.0 without
// IPv6 or with -4); "PORT" and ":PORT" are the wildcard on that port; unix:/PATH and @NAME. Throws
// UsageError. `v6_only` is set when -6 asks for IPv6 alone.
net::SocketAddress chat_listen_address(const std::string& text, int family, bool& v6_only);

}  // namespace nt::chat
