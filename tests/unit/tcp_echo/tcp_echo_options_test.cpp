#include <doctest/doctest.h>

#include <string>

#include "subcommands/tcp_echo/options.hpp"
#include "subcommands/tcp_echo/server.hpp"
#include "sys/error.hpp"

using namespace nt::tcp_echo;

TEST_CASE("parse_size accepts plain numbers and binary suffixes") {
  CHECK(parse_size("0", "--size") == 0);
  CHECK(parse_size("4096", "--size") == 4096);
  CHECK(parse_size("4K", "--size") == 4096);
  CHECK(parse_size("4k", "--size") == 4096);
  CHECK(parse_size("4KiB", "--size") == 4096);
  CHECK(parse_size("64M", "--size") == 64u << 20);
  CHECK(parse_size("2G", "--bulk") == std::size_t{2} << 30);
  CHECK(parse_size("10B", "--size") == 10);
}

TEST_CASE("parse_size rejects malformed sizes naming the option and the input") {
  for (const char* bad :
       {"", "abc", "-1", "4X", "4 K", "1.5M", "99999999999999999999", "18446744073709551615G"}) {
    CAPTURE(bad);
    try {
      parse_size(bad, "--size");
      FAIL("no exception");
    } catch (const nt::UsageError& e) {
      std::string what = e.what();
      CHECK(what.find("--size") != std::string::npos);
      CHECK(what.find(std::string("'") + bad + "'") != std::string::npos);
    }
  }
}

TEST_CASE("choose_mode: explicit flags win, then stdin decides") {
  ClientOptions o;
  CHECK(choose_mode(o, false) == ClientMode::pipe);
  CHECK(choose_mode(o, true) == ClientMode::probe);
  o.count = 3;
  CHECK(choose_mode(o, false) == ClientMode::probe);
  o = {};
  o.size = "128";
  CHECK(choose_mode(o, false) == ClientMode::probe);
  o = {};
  o.bench = true;
  CHECK(choose_mode(o, true) == ClientMode::load);
  o = {};
  o.bulk = "1M";
  CHECK(choose_mode(o, false) == ClientMode::bulk);
  o = {};
  o.force_stdin = true;
  CHECK(choose_mode(o, true) == ClientMode::pipe);
}

TEST_CASE("choose_mode refuses two modes at once") {
  ClientOptions o;
  o.bench = true;
  o.bulk = "1M";
  CHECK_THROWS_AS(choose_mode(o, false), nt::UsageError);
  o = {};
  o.force_stdin = true;
  o.count = 1;
  CHECK_THROWS_AS(choose_mode(o, false), nt::UsageError);
}

TEST_CASE("validate(ServerOptions) bounds every number") {
  ServerOptions o;
  CHECK_NOTHROW(validate(o));
  o.threads = 0;
  CHECK_THROWS_WITH_AS(validate(o), doctest::Contains("--threads"), nt::UsageError);
  o = {};
  o.max_clients = 0;
  CHECK_THROWS_WITH_AS(validate(o), doctest::Contains("--max-clients"), nt::UsageError);
  o = {};
  o.idle_timeout_s = -1;
  CHECK_THROWS_WITH_AS(validate(o), doctest::Contains("--idle-timeout"), nt::UsageError);
  o.idle_timeout_s = 0;
  CHECK_NOTHROW(validate(o));
}

TEST_CASE("validate(ClientOptions) bounds every number of the chosen mode") {
  ClientOptions o;
  o.count = 0;
  CHECK_THROWS_WITH_AS(validate(o, ClientMode::probe), doctest::Contains("--count"), nt::UsageError);
  o = {};
  o.size = "0";
  CHECK_THROWS_WITH_AS(validate(o, ClientMode::probe), doctest::Contains("--size"), nt::UsageError);
  o.size = "17M";
  CHECK_THROWS_WITH_AS(validate(o, ClientMode::probe), doctest::Contains("--size"), nt::UsageError);
  o = {};
  o.pipeline = 0;
  CHECK_THROWS_WITH_AS(validate(o, ClientMode::load), doctest::Contains("--pipeline"), nt::UsageError);
  o = {};
  o.duration_s = 0;
  CHECK_THROWS_WITH_AS(validate(o, ClientMode::load), doctest::Contains("--duration"), nt::UsageError);
  o = {};
  o.timeout_s = 0;
  CHECK_THROWS_WITH_AS(validate(o, ClientMode::probe), doctest::Contains("--timeout"), nt::UsageError);
  o = {};
  o.bulk = "0";
  CHECK_THROWS_WITH_AS(validate(o, ClientMode::bulk), doctest::Contains("--bulk"), nt::UsageError);
}

TEST_CASE("validate(ClientOptions) refuses load-mode options without --bench") {
  struct Case {
    const char* option;
    void (*set)(ClientOptions&);
  };
  const Case cases[] = {
      {"--connections", [](ClientOptions& o) { o.connections = 4; }},
      {"--duration", [](ClientOptions& o) { o.duration_s = 2; }},
      {"--pipeline", [](ClientOptions& o) { o.pipeline = 8; }},
  };
  for (const auto& c : cases) {
    CAPTURE(c.option);
    for (ClientMode mode : {ClientMode::pipe, ClientMode::probe, ClientMode::bulk}) {
      ClientOptions o;
      o.bulk = mode == ClientMode::bulk ? "1M" : "";
      c.set(o);
      try {
        validate(o, mode);
        FAIL("no exception");
      } catch (const nt::UsageError& e) {
        std::string what = e.what();
        CHECK(what.find(c.option) != std::string::npos);
        CHECK(what.find("--bench") != std::string::npos);
      }
    }
    ClientOptions o;
    o.bench = true;
    c.set(o);
    CHECK_NOTHROW(validate(o, ClientMode::load));
  }
}

TEST_CASE("validate(ClientOptions) refuses --size in pipe mode, which would ignore it") {
  ClientOptions o;
  o.force_stdin = true;
  o.size = "4K";
  CHECK_THROWS_WITH_AS(validate(o, ClientMode::pipe), doctest::Contains("--size"), nt::UsageError);
  o.size.clear();
  CHECK_NOTHROW(validate(o, ClientMode::pipe));
}

TEST_CASE("listen_address: defaults and the forms --listen accepts") {
  bool v6_only = true;
  auto a = listen_address("127.0.0.1:0", AF_UNSPEC, v6_only);
  CHECK(a.to_string() == "127.0.0.1:0");
  CHECK_FALSE(v6_only);
  CHECK(listen_address("127.0.0.1", AF_UNSPEC, v6_only).port() == kDefaultPort);
  CHECK(listen_address("", AF_INET, v6_only).to_string() == "0.0.0.0:7007");
  CHECK(listen_address(":9000", AF_INET, v6_only).to_string() == "0.0.0.0:9000");
  CHECK(listen_address("9000", AF_INET, v6_only).port() == 9000);
  auto v6 = listen_address("", AF_INET6, v6_only);
  CHECK(v6.to_string() == "[::]:7007");
  CHECK(v6_only);
  CHECK(listen_address("[::1]:5", AF_UNSPEC, v6_only).to_string() == "[::1]:5");
  CHECK(listen_address("unix:/tmp/x.sock", AF_UNSPEC, v6_only).is_unix());
  CHECK(listen_address("@echo", AF_UNSPEC, v6_only).is_abstract());
  CHECK_THROWS_AS(listen_address("127.0.0.1:70000", AF_UNSPEC, v6_only), nt::UsageError);
  CHECK_THROWS_AS(listen_address("[::1", AF_UNSPEC, v6_only), nt::UsageError);
}
