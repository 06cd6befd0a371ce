#include "sys/error.hpp"

#include <netdb.h>

#include <cerrno>

namespace nt {

void throw_errno(const std::string& context, int err) {
  throw std::system_error(err, std::generic_category(), context);
}

namespace {
class GaiCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "getaddrinfo"; }
  std::string message(int code) const override { return ::gai_strerror(code); }
};
}  // namespace

const std::error_category& gai_category() noexcept {
  static const GaiCategory category;
  return category;
}

namespace {
void append_chain(const std::exception& e, std::string& out) {
  if (!out.empty()) out += ": ";
  out += e.what();
  try {
    std::rethrow_if_nested(e);
  } catch (const std::exception& inner) {
    append_chain(inner, out);
  } catch (...) {
    out += ": unknown error";
  }
}

// A context wrapper is a RuntimeError that only exists to name what we were doing; the inner
// exception's code is the real verdict.
int code_of_chain(const std::exception& e) {
  int inner_code = -1;
  try {
    std::rethrow_if_nested(e);
  } catch (const std::exception& inner) {
    inner_code = code_of_chain(inner);
  } catch (...) {
  }
  if (const auto* err = dynamic_cast<const Error*>(&e)) {
    bool is_wrapper = dynamic_cast<const std::nested_exception*>(&e) != nullptr;
    if (!is_wrapper || inner_code < 0) return err->exit_code();
    return inner_code;
  }
  if (inner_code >= 0) return inner_code;
  if (const auto* sys = dynamic_cast<const std::system_error*>(&e)) {
    int v = sys->code().value();
    if (sys->code().category() == std::generic_category() && (v == EPERM || v == EACCES)) {
      return kExitPrivilege;
    }
  }
  return kExitRuntime;
}
}  // namespace

std::string describe(const std::exception& e) {
  std::string out;
  append_chain(e, out);
  return out;
}

int exit_code_of(const std::exception& e) { return code_of_chain(e); }

}  // namespace nt
