#include "tls/error.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace nt::tls {
namespace {

// Error strings are loaded on first use of libssl; a process may meet an error before that.
void load_error_strings() {
  static const bool loaded =
      OPENSSL_init_ssl(OPENSSL_INIT_LOAD_SSL_STRINGS | OPENSSL_INIT_LOAD_CRYPTO_STRINGS, nullptr) == 1;
  (void)loaded;
}

class TlsCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "openssl"; }
  std::string message(int code) const override {
    load_error_strings();
    // OpenSSL 3 packs library and reason in 31 bits, so an int holds the code unchanged.
    const char* reason = ERR_reason_error_string(static_cast<unsigned long>(code));
    return reason ? reason : "TLS library error " + std::to_string(code);
  }
};

std::string describe_entry(unsigned long code, const char* data, int flags) {
  const char* reason = ERR_reason_error_string(code);
  const char* lib = ERR_lib_error_string(code);
  std::string text = reason ? reason : "error " + std::to_string(code);
  if (data && (flags & ERR_TXT_STRING) && *data) text += std::string(" (") + data + ")";
  if (lib) text += std::string(" [") + lib + "]";
  return text;
}

}  // namespace

const std::error_category& tls_category() noexcept {
  static const TlsCategory category;
  return category;
}

std::string drain_error_queue(unsigned long* first_code) {
  load_error_strings();
  std::string text;
  const char* data = nullptr;
  int flags = 0;
  if (first_code) *first_code = 0;
  // Bounded: the queue holds at most ERR_NUM_ERRORS entries.
  for (int i = 0; i < ERR_NUM_ERRORS; ++i) {
    const unsigned long code = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags);
    if (code == 0) break;
    if (first_code && *first_code == 0) *first_code = code;
    if (!text.empty()) text += "; ";
    text += describe_entry(code, data, flags);
  }
  return text;
}

void throw_tls(const std::string& context) {
  unsigned long code = 0;
  std::string queue = drain_error_queue(&code);
  if (queue.empty()) queue = "unknown TLS library error";
  throw Error(static_cast<int>(code), context + ": " + queue);
}

}  // namespace nt::tls
