// OpenSSL linked the usual way (not x86-64): there is nothing to load.
#include "tls/openssl_loader.hpp"

namespace nt::tls {

void load_openssl() {}

}  // namespace nt::tls
