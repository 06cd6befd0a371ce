// Until src/net/stream.cpp (the stream server work) is on this branch: the one out-of-line member of
// net::Stream, so TlsStream links. meson.build drops this file once stream.cpp exists.
#include "net/stream.hpp"

namespace nt::net {
std::string Stream::error_text() const {
  return "stream error";
}
}  // namespace nt::net
