// Socket calls that must succeed: they throw, naming the call and the address and, where the
// kernel's refusal has a known cause, what to grant (`bind 127.0.0.1:80: Permission denied — needs
// CAP_NET_BIND_SERVICE`). EACCES/EPERM leave as PrivilegeError (exit 4), the rest as system_error.
#pragma once
#include <chrono>
#include <string>
#include <string_view>

#include "net/address.hpp"
#include "net/fd.hpp"
#include "net/socket_handle.hpp"

namespace nt::net {

// "bind 127.0.0.1:80: Permission denied — needs CAP_NET_BIND_SERVICE" (the hint only where one applies).
std::string describe_call_error(std::string_view call, const SocketAddress& addr, int err);
[[noreturn]] void throw_call_error(std::string_view call, const SocketAddress& addr, int err);
[[noreturn]] void throw_option_error(std::string_view verb, const SocketOption& o, int err);

// socket(2) for addr's family: SOCK_CLOEXEC always, non-blocking when asked.
UniqueFd open_socket(int family, int type, int protocol = 0, bool nonblocking = false);
void bind_or_throw(SocketHandle s, const SocketAddress& addr);
void connect_or_throw(SocketHandle s, const SocketAddress& addr, std::chrono::milliseconds timeout);
void set_option_or_throw(SocketHandle s, const SocketOption& o, int value);
int get_option_or_throw(SocketHandle s, const SocketOption& o);

}  // namespace nt::net
