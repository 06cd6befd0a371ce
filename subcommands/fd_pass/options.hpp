// Options of `fd-pass send` and `fd-pass recv`, and the pure parsers and checks on them (no CLI11).
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/address.hpp"

namespace nt::fd_pass {

inline constexpr std::size_t kMaxDescriptors = 4096;  // in one transfer, over all its messages
inline constexpr std::size_t kDefaultMaxFds = 1024;

enum class Role { connect, listen };

struct SendOptions {
  std::string socket;                    // PATH, unix:PATH or @abstract
  std::vector<std::string> fds;          // N[:NAME]
  std::vector<std::string> opens;        // PATH, opened read-only
  std::vector<std::string> tcp_listens;  // ADDR:PORT, a listening TCP socket created to hand over
  bool listen = false;                   // default: connect to --socket
  bool connect = false;                  // --connect given (the default anyway)
  double timeout_s = 30;                 // connect, accept (0: wait forever)
};

struct RecvOptions {
  std::string socket;
  bool connect = false;  // default: listen on --socket for one sender
  bool listen = false;   // --listen given (the default anyway)
  std::optional<long long> allow_uid;
  std::size_t max_fds = kDefaultMaxFds;
  double timeout_s = 30;             // accept, connect, each message (0: forever)
  std::vector<std::string> command;  // after --exec
  bool exec = false;
};

struct FdSpec {
  int fd = -1;
  std::string name;  // "fdN" when not given
};

// "3", "3:listener". Throws UsageError("invalid --fd 'X': …").
FdSpec parse_fd_spec(std::string_view text);

// PATH, unix:PATH or @abstract as a unix socket address. Throws UsageError("invalid --socket …").
net::SocketAddress parse_socket_address(std::string_view text);

// Seconds from 0 to 86400 (0: forever). Throws UsageError naming the option.
void check_timeout(std::string_view option, double seconds);

void validate(const SendOptions& opts);
void validate(const RecvOptions& opts);

}  // namespace nt::fd_pass
