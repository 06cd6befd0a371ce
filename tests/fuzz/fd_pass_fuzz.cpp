// What fd-pass reads from a peer or the environment: a message's payload (names, "#I/N" numbering)
// decodes to exactly one name per descriptor received and re-encodes to a payload that decodes the
// same; LISTEN_PID/LISTEN_FDS/LISTEN_FDNAMES values are either refused with a UsageError or give a
// count within bounds and one name per descriptor.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "net/socket_activation.hpp"
#include "subcommands/fd_pass/message.hpp"
#include "sys/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::size_t fds = data[0] % 8;
  const std::string payload(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::size_t declared = 0;
  const auto part = nt::fd_pass::decode_part(payload, fds, declared);
  if (part.names.size() != fds || part.index < 1 || part.index > part.count) __builtin_trap();
  std::size_t again_declared = 0;
  const auto again = nt::fd_pass::decode_part(nt::fd_pass::encode_part(part), fds, again_declared);
  if (again.names != part.names || again.index != part.index || again.count != part.count) __builtin_trap();

  const std::string pid_text = payload.substr(0, payload.find('\n'));
  try {
    const auto count = nt::net::parse_listen_env("42", pid_text.c_str(), 42);
    if (count && *count > nt::net::kMaxListenFds) __builtin_trap();
  } catch (const nt::UsageError&) {
  }
  if (nt::net::parse_fd_names(payload.c_str(), fds).size() != fds) __builtin_trap();
  return 0;
}
