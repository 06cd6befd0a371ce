// `chat-client`: the newline-JSON chat client (issue 12), interactive (a terminal UI with line editing)
// or scripted (stdin lines in, jsonl records out, --send/--exit/--wait-for for CI).
#pragma once
#include "cli/command.hpp"
#include "event/loop.hpp"
#include "subcommands/chat/client_options.hpp"
#include "subcommands/chat/client_session.hpp"

namespace nt::chat {

cli::RunFn setup_client(CLI::App& app);

int run_client(const ClientOptions& opts, cli::Runtime& rt);

// The two front ends; both end with conclude().
int run_interactive(event::EventLoop& loop, const SessionConfig& config, const ClientTarget& target,
                    cli::Runtime& rt);
int run_scripted(event::EventLoop& loop, const SessionConfig& config, const ClientTarget& target,
                 bool read_stdin, cli::Runtime& rt);
// Emits the summary and returns the exit code, or throws the failure with its code (one stderr line).
int conclude(const ChatSession& session, cli::Runtime& rt);

}  // namespace nt::chat
