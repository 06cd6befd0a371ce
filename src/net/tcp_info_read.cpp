// Reading TCP_INFO and TCP_CC_INFO through the option table (glibc's <netinet/tcp.h> side; the
// decoders in tcp_info.cpp need <linux/tcp.h>, which cannot be included beside it).
#include <array>
#include <string_view>

#include "net/socket_handle.hpp"
#include "net/tcp_info.hpp"

namespace nt::net {

int read_tcp_info(SocketHandle s, output::Json& out) {
  std::array<std::byte, kTcpInfoCapacity> buf{};
  socklen_t len = 0;
  if (const int rc = s.get_bytes(sockopt("TCP_INFO"), buf, len); rc != 0) return rc;
  out = decode_tcp_info(std::span(buf).first(len));
  return 0;
}

int read_tcp_cc_info(SocketHandle s, output::Json& out) {
  std::array<char, 64> name_buf{};
  std::string_view algorithm;
  if (const int rc = s.get_string(sockopt("TCP_CONGESTION"), name_buf, algorithm); rc != 0) return rc;
  std::array<std::byte, 256> buf{};
  socklen_t len = 0;
  if (const int rc = s.get_bytes(sockopt("TCP_CC_INFO"), buf, len); rc != 0) return rc;
  out = decode_tcp_cc_info(algorithm, std::span(buf).first(len));
  return 0;
}

}  // namespace nt::net
