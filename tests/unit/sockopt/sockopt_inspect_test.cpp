// sockopt inspect: option parsing and validation, --set notes, the socket record and its text.
#include <doctest/doctest.h>
#include <netinet/in.h>

#include "net/socket_calls.hpp"
#include "subcommands/sockopt/inspect.hpp"
#include "subcommands/sockopt/options.hpp"
#include "subcommands/sockopt/set.hpp"
#include "subcommands/sockopt/text.hpp"
#include "sys/error.hpp"

using namespace nt;
using namespace nt::sockopt;

TEST_CASE("sockopt: kinds, --set parsing and source validation") {
  CHECK(parse_kind("tcp6").family == AF_INET6);
  CHECK(parse_kind("raw").protocol == IPPROTO_ICMP);
  CHECK(parse_kind("unix-dgram").type == SOCK_DGRAM);
  CHECK_THROWS_WITH_AS(parse_kind("sctp"), doctest::Contains("invalid --new 'sctp'"), UsageError);
  CHECK(kind_choices().find("unix-seqpacket|raw") != std::string::npos);

  CHECK(parse_set("so_rcvbuf=1024").option == &net::sockopt("SO_RCVBUF"));
  CHECK(parse_set("keepidle_s=30").value == "30");
  CHECK(parse_set("TCP_CONGESTION=").value.empty());
  CHECK_THROWS_WITH_AS(parse_set("SO_RCVBUF"), doctest::Contains("NAME=VALUE"), UsageError);
  CHECK_THROWS_WITH_AS(parse_set("SO_NOPE=1"), doctest::Contains("'SO_NOPE'"), UsageError);

  Options o;
  CHECK_THROWS_AS(validate(o), UsageError);
  o.new_kind = "tcp";
  CHECK(validate(o) == Source::fresh);
  o.connect = "127.0.0.1:1";
  CHECK_THROWS_AS(validate(o), UsageError);
  o = Options{};
  o.pid = 1;
  o.fd = 3;
  CHECK(validate(o) == Source::process);
  o.sets = {"SO_RCVBUF=1"};
  CHECK_THROWS_WITH_AS(validate(o), doctest::Contains("--set"), UsageError);
  o = Options{};
  o.fd = -1;
  CHECK_THROWS_AS(validate(o), UsageError);
  o.fd = 3;
  CHECK(validate(o) == Source::inherited);
  o.accept = true;
  CHECK_THROWS_WITH_AS(validate(o), doctest::Contains("--accept"), UsageError);
}

TEST_CASE("sockopt: what the kernel did to a buffer size") {
  const BufferLimits limits{212992, 212992};
  const auto& rcv = net::sockopt("SO_RCVBUF");
  CHECK(effective_note(rcv, 65536, 65536, limits).empty());
  CHECK(effective_note(rcv, 65536, 131072, limits).find("doubled") != std::string::npos);
  CHECK(effective_note(rcv, 1000000, 425984, limits).find("net.core.rmem_max (212992") != std::string::npos);
  CHECK(effective_note(net::sockopt("SO_SNDBUF"), 1000000, 425984, limits).find("wmem_max") !=
        std::string::npos);
  CHECK(effective_note(rcv, 100, 2304, limits).find("minimum") != std::string::npos);
  CHECK(effective_note(net::sockopt("TCP_MAXSEG"), 100, 88, limits) == "the kernel keeps 88");
  CHECK(effective_note(net::sockopt("TCP_CONGESTION"), "x", "reno", limits) == "the kernel keeps reno");
  CHECK(effective_note(rcv, 1, nullptr, limits).find("refused") != std::string::npos);
}

TEST_CASE("sockopt: --set on a fresh socket, and refusals") {
  net::UniqueFd fd = net::open_socket(AF_INET, SOCK_STREAM);
  const auto results =
      apply_sets(net::SocketHandle(fd),
                 {parse_set("SO_RCVBUF=65536"), parse_set("TCP_NODELAY=1"), parse_set("SO_LINGER=4")},
                 AF_INET, SOCK_STREAM);
  REQUIRE(results.size() == 3);
  CHECK(results[0].requested == 65536);
  CHECK(results[0].effective == 131072);
  CHECK(results[0].note.find("doubled") != std::string::npos);
  CHECK(results[1].effective == true);
  CHECK(results[1].note.empty());
  CHECK(results[2].effective == 4);
  CHECK(results[0].to_json()["key"] == "rcvbuf_bytes");
  CHECK_THROWS_WITH_AS(apply_sets(net::SocketHandle(fd), {parse_set("UDP_CORK=1")}, AF_INET, SOCK_STREAM),
                       doctest::Contains("does not apply"), UsageError);
  CHECK_THROWS_WITH_AS(
      apply_sets(net::SocketHandle(fd), {parse_set("TCP_CONGESTION=nosuchcc")}, AF_INET, SOCK_STREAM),
      doctest::Contains("the kernel refused it"), UsageError);
}

TEST_CASE("sockopt: the socket record of a fresh UDP and TCP socket") {
  net::UniqueFd udp = net::open_socket(AF_INET6, SOCK_DGRAM);
  Inspection u = inspect_socket(net::SocketHandle(udp), Origin{"new", udp.get(), std::nullopt, false});
  const output::Json& j = u.record.data;
  CHECK(j["type"] == "socket");
  CHECK(j["source"] == "new");
  CHECK(j["pid"].is_null());
  CHECK(j["family"] == "inet6");
  CHECK(j["socket_type"] == "dgram");
  CHECK(j["options"]["socket"]["type"] == "dgram");
  CHECK(j["options"]["socket"]["rcvbuf_bytes"].is_number());
  CHECK(j["options"]["ipv6"]["ipv6_v6only"].is_boolean());
  CHECK(j["options"]["udp"].contains("gro"));
  CHECK_FALSE(j["options"].contains("tcp"));
  CHECK_FALSE(j.contains("tcp_info"));
  CHECK(u.options_read > 50);
  for (auto level = j["option_errors"].begin(); level != j["option_errors"].end(); ++level)
    for (auto e = level.value().begin(); e != level.value().end(); ++e)
      CHECK_MESSAGE(j["options"][level.key()][e.key()].is_null(), e.key());
  CHECK(u.record.text.find("IPPROTO_UDP") != std::string::npos);

  net::UniqueFd tcp = net::open_socket(AF_INET, SOCK_STREAM);
  Inspection t = inspect_socket(net::SocketHandle(tcp), Origin{"pid", 9, 1234, true});
  CHECK(t.record.data["fd"] == 9);
  CHECK(t.record.data["pid"] == 1234);
  CHECK(t.record.data["tcp_info"]["state"] == "close");
  CHECK(t.record.data["tcp_cc_info"]["algorithm"].is_string());
  CHECK(t.record.data["option_errors"]["socket"]["error"] == "skipped");
  CHECK(t.record.text.find("fd 9 of pid 1234: tcp") == 0);
  CHECK(t.record.text.find("TCP_INFO") != std::string::npos);
}

TEST_CASE("sockopt: text values") {
  CHECK(value_text(true) == "on");
  CHECK(value_text(nullptr) == "-");
  CHECK(value_text(4096, unit_text(net::Unit::bytes)) == "4096 bytes");
  CHECK(value_text("") == "(none)");
  CHECK(value_text("a\x1b[31m") == "a\\x1b[31m");
  CHECK(value_text(output::Json::array()) == "(none)");
  CHECK(value_text(output::Json({{"min", 1}, {"max", 2}})) == "min=1 max=2");
}
