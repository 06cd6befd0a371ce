// OpenSSL failures as std::system_error: the category names OpenSSL's packed error codes, the message
// carries the whole error queue (drained where it is thrown, so the next call starts clean).
#pragma once
#include <string>
#include <system_error>

namespace nt::tls {

const std::error_category& tls_category() noexcept;

// Every entry of this thread's OpenSSL error queue as "reason (lib); reason (lib)", emptying it.
// Returns {} when the queue is empty. `first_code` (optional) gets the first packed code.
std::string drain_error_queue(unsigned long* first_code = nullptr);

// A TLS failure: code() is the first OpenSSL code (or 0), what() the full text a person reads.
class Error : public std::system_error {
 public:
  Error(int code, std::string text) : std::system_error(code, tls_category()), text_(std::move(text)) {}
  const char* what() const noexcept override { return text_.c_str(); }

 private:
  std::string text_;
};

// Throws tls::Error with "context: <queue>"; the queue is emptied.
[[noreturn]] void throw_tls(const std::string& context);

}  // namespace nt::tls
