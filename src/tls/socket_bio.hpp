// The BIO a TlsStream reads and writes through: the socket with MSG_DONTWAIT (every call non-blocking,
// whatever the descriptor's mode) and MSG_NOSIGNAL (a closed peer is EPIPE, never SIGPIPE). OpenSSL's
// own socket BIO uses write(2), which raises SIGPIPE.
#pragma once
#include <openssl/bio.h>

namespace nt::tls {

// A new BIO over `fd` (not owned: freeing the BIO leaves the descriptor open). nullptr on failure.
BIO* new_socket_bio(int fd) noexcept;

}  // namespace nt::tls
