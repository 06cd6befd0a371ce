// systemd's socket-activation protocol (sd_listen_fds(3)): a service started with LISTEN_FDS=N,
// LISTEN_PID=<its pid> and optionally LISTEN_FDNAMES=a:b finds its sockets at descriptors 3…3+N−1.
// Servers (tcp-echo, chat-server) take them with take_listen_fds(); fd-pass --exec sets them up.
#pragma once
#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nt::net {

inline constexpr int kListenFdsStart = 3;  // SD_LISTEN_FDS_START
inline constexpr std::size_t kMaxListenFds = 4096;

// How many descriptors the environment hands to process `self`: nullopt when LISTEN_PID is unset or
// names another process (a variable inherited by accident: sd_listen_fds ignores it too), or when
// LISTEN_FDS is unset. Throws UsageError naming the variable for a malformed value.
std::optional<std::size_t> parse_listen_env(const char* listen_pid, const char* listen_fds, pid_t self);

// LISTEN_FDNAMES split at ':', one name per descriptor: missing ones are "unknown" (as sd_listen_fds_
// with_names does); extra ones are dropped. Names are not checked here (see valid_fd_name).
std::vector<std::string> parse_fd_names(const char* listen_fdnames, std::size_t count);

// sd_notify's rule for a descriptor name: 1–255 printable ASCII characters, no ':' (the separator).
bool valid_fd_name(std::string_view name) noexcept;
std::string join_fd_names(std::span<const std::string> names);

struct ListenFds {
  std::vector<int> fds;  // 3, 4, … — each checked to be an open socket, now close-on-exec
  std::vector<std::string> names;
};

// Reads LISTEN_PID/LISTEN_FDS/LISTEN_FDNAMES, checks every descriptor is an open socket, marks each
// close-on-exec and unsets the three variables (so a child we start does not take them for its own).
// Empty when the environment hands nothing to this process. Throws UsageError naming the variable or
// the descriptor.
ListenFds take_listen_fds();

// Checks `fd` is an open socket that is listening on a stream (the --listen-fd contract). Throws
// UsageError("invalid WHAT N: …").
void check_listening_socket(int fd, std::string_view what);

// A server's inherited listening socket: `listen_fd` (its --listen-fd) when given, else, when no
// --listen address was given either, the one socket systemd-style activation hands over. -1: none,
// listen on an address. `server` names the command in the error for more than one socket.
int inherited_listener(std::optional<int> listen_fd, bool listen_given, std::string_view server);

}  // namespace nt::net
