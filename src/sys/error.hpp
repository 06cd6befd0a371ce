// Error types that carry their exit code (DESIGN.md "Exit codes") up to the one printer in main.
#pragma once
#include <fmt/format.h>

#include <stdexcept>
#include <string>
#include <system_error>

namespace nt {

enum ExitCode : int {
  kExitOk = 0,
  kExitNegative = 1,
  kExitUsage = 2,
  kExitRuntime = 3,
  kExitPrivilege = 4,
};

// An error whose exit code is decided where it is thrown; anything else that reaches main exits 3.
class Error : public std::runtime_error {
 public:
  Error(int exit_code, const std::string& what) : std::runtime_error(what), exit_code_(exit_code) {}
  int exit_code() const noexcept { return exit_code_; }

 private:
  int exit_code_;
};

// Bad input or usage: exit 2. The message names the input and the problem.
struct UsageError : Error {
  explicit UsageError(const std::string& what) : Error(kExitUsage, what) {}
};
// The environment failed us (resolve, bind, pcap…): exit 3.
struct RuntimeError : Error {
  explicit RuntimeError(const std::string& what) : Error(kExitRuntime, what) {}
};
// Missing capability or permission: exit 4. The message says exactly what to grant.
struct PrivilegeError : Error {
  explicit PrivilegeError(const std::string& what) : Error(kExitPrivilege, what) {}
};

// std::system_error from errno, for helpers that must succeed.
[[noreturn]] void throw_errno(const std::string& context, int err = errno);

// getaddrinfo's EAI_* codes as a real error category.
const std::error_category& gai_category() noexcept;

// Wraps the exception in flight with context: "context: cause" when printed.
template <typename... Args>
[[noreturn]] void rethrow_with_context(fmt::format_string<Args...> f, Args&&... args) {
  std::throw_with_nested(RuntimeError(fmt::format(f, std::forward<Args>(args)...)));
}

// "outer: inner: innermost" for a chain of nested exceptions.
std::string describe(const std::exception& e);
// The exit code of a (possibly nested) exception: the outermost nt::Error that is not a plain
// context wrapper decides; EACCES/EPERM system errors map to 4; everything else 3.
int exit_code_of(const std::exception& e);

}  // namespace nt
