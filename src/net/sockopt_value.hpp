// Any entry of the socket-option table read and decoded (booleans as booleans, enums by name,
// structures field by field, units in the keys), and user text encoded for setsockopt. The
// table is net/sockopt.hpp; TCP_INFO/TCP_CC_INFO have their own decoders (net/tcp_info.hpp).
#pragma once
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/socket_handle.hpp"
#include "output/record.hpp"

namespace nt::net {

// A read the kernel answered (error 0, fields set), refused (error = errno, fields hold nulls), or
// that we did not make (skipped says why; fields hold nulls).
struct OptionReading {
  const SocketOption* option = nullptr;
  // Usually one (json_key, value); SO_LINGER gives two: linger_on and linger_s.
  std::vector<std::pair<std::string, output::Json>> fields;
  int error = 0;
  std::string_view skipped;
};

// Reads whose side effect the socket's owner would notice: SO_ERROR clears the pending error,
// TCP_SAVED_SYN frees the saved SYN. Skipped on sockets we do not own (`foreign`), read on our
// own. TCP_ZEROCOPY_RECEIVE (a receive, not a setting) is never read.
std::string_view intrusive_read(const SocketOption& o) noexcept;

OptionReading read_option(SocketHandle s, const SocketOption& o, bool foreign);

// The JSON fields of an option's value from the bytes getsockopt returned (pure; unit-tested).
std::vector<std::pair<std::string, output::Json>> decode_option(const SocketOption& o,
                                                                std::span<const std::byte> bytes);

// The group an option's level goes in: "socket", "ip", "ipv6", "tcp", "udp".
std::string_view level_group(int level) noexcept;

// "ENOPROTOOPT" for an errno value; "E<number>" when unnamed.
std::string errno_name(int err);

// The setsockopt bytes of `text` for option `o`: booleans (1/0/true/false/on/off/yes/no),
// integers (decimal or an enum's name: IP_MTU_DISCOVER=do), unsigned 32/64-bit numbers, seconds
// for timevals (1.5), SO_LINGER as seconds or "off", strings (TCP_CONGESTION=reno). Throws
// UsageError naming `text` and what was expected, also for options that are not settable that way.
std::vector<std::byte> encode_option_value(const SocketOption& o, std::string_view text);

// setsockopt with the encoded bytes: 0 or -errno.
[[nodiscard]] int write_option(SocketHandle s, const SocketOption& o,
                               std::span<const std::byte> value) noexcept;

}  // namespace nt::net
