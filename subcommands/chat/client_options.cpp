#include "subcommands/chat/client_options.hpp"

#include <fmt/format.h>

#include "cli/validate.hpp"
#include "output/escape.hpp"
#include "subcommands/chat/client_match.hpp"
#include "subcommands/chat/protocol.hpp"
#include "sys/error.hpp"

namespace nt::chat {

ClientMode choose_mode(const ClientOptions& o, bool stdin_tty, bool stdout_tty, output::Format format) {
  bool asks_script = o.scripted || o.exit_after_ack || o.wait_for.has_value();
  if (asks_script || !stdin_tty || !stdout_tty || format != output::Format::text) return ClientMode::scripted;
  return ClientMode::interactive;
}

std::string effective_name(const ClientOptions& o, const char* user_env) {
  std::string name = o.name;
  const char* source = "--name";
  if (name.empty()) {
    if (user_env == nullptr || *user_env == '\0') throw UsageError("--name is required (USER is not set)");
    name = user_env;
    source = "USER";
  }
  if (auto problem = name_problem(name)) {
    throw UsageError(fmt::format("invalid {} '{}': {}", source, output::escape_for_terminal(name), *problem));
  }
  return name;
}

void validate(const ClientOptions& o) {
  cli::check_seconds("--timeout", o.timeout_s, {0, 86400, true});
  if (o.max_attempts) {
    if (!o.reconnect) throw UsageError("--reconnect-attempts needs --reconnect");
    cli::check_whole("--reconnect-attempts", *o.max_attempts, 1, 1'000'000);
  }
  if (o.wait_for) (void)parse_pattern(*o.wait_for);
  if (o.exit_after_ack && o.stay) throw UsageError("--exit and --stay contradict each other: choose one");
  for (const std::string& text : o.send) {
    if (text.size() > kMaxMessageBytes) {
      throw UsageError(fmt::format("invalid --send: {} bytes, more than the {} a message may carry",
                                   text.size(), kMaxMessageBytes));
    }
  }
  tls::validate(o.tls);
}

}  // namespace nt::chat
