// The file a unix listener binds: removed only when lstat(2) says it is a socket, so a regular file
// (or a symlink) put at the path is never deleted (issue 16.3: connect(2) on a non-socket also says
// ECONNREFUSED on Linux, which stale-socket clean-up used to take for a dead server).
#pragma once
#include <string>

namespace nt::net {

// lstat(2) says PATH is a socket (never follows a symlink).
[[nodiscard]] bool is_socket_file(const std::string& path) noexcept;
// Unlinks PATH only if it is a socket. True when removed.
bool unlink_socket_file(const std::string& path) noexcept;

}  // namespace nt::net
