#include <doctest/doctest.h>

#include <cerrno>
#include <system_error>

#include "sys/error.hpp"

TEST_CASE("describe joins nested context outermost first") {
  try {
    try {
      throw std::system_error(ECONNREFUSED, std::generic_category(), "connect");
    } catch (...) {
      nt::rethrow_with_context("connecting to {}", "127.0.0.1:1");
    }
  } catch (const std::exception& e) {
    CHECK(nt::describe(e) == "connecting to 127.0.0.1:1: connect: Connection refused");
    CHECK(nt::exit_code_of(e) == 3);
  }
}

TEST_CASE("exit codes follow DESIGN.md") {
  CHECK(nt::exit_code_of(nt::UsageError("x")) == 2);
  CHECK(nt::exit_code_of(nt::RuntimeError("x")) == 3);
  CHECK(nt::exit_code_of(nt::PrivilegeError("x")) == 4);
  CHECK(nt::exit_code_of(std::runtime_error("x")) == 3);
  CHECK(nt::exit_code_of(std::system_error(EPERM, std::generic_category(), "socket")) == 4);
  try {
    try {
      throw nt::UsageError("bad port");
    } catch (...) {
      nt::rethrow_with_context("parsing {}", "x");
    }
  } catch (const std::exception& e) {
    CHECK(nt::exit_code_of(e) == 2);  // the wrapper adds context, the inner error decides
  }
}

TEST_CASE("gai category names getaddrinfo errors") {
  std::error_code ec(-2, nt::gai_category());  // EAI_NONAME
  CHECK(std::string(ec.category().name()) == "getaddrinfo");
  CHECK_FALSE(ec.message().empty());
}
