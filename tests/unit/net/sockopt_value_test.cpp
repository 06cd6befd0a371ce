// Decoding and encoding socket-option values, and every table option read on a fresh socket of
// every kind (the ASan/UBSan run covers the decoders on the kernel's real answers).
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cstring>
#include <vector>

#include "net/socket.hpp"
#include "net/socket_calls.hpp"
#include "net/sockopt_value.hpp"
#include "net/tcp_info.hpp"
#include "sys/error.hpp"

using namespace nt;

namespace {
template <typename T>
std::vector<std::byte> bytes_of(const T& v) {
  std::vector<std::byte> out(sizeof v);
  std::memcpy(out.data(), &v, sizeof v);
  return out;
}

output::Json decoded(std::string_view name, const std::vector<std::byte>& b) {
  return net::decode_option(*net::find_socket_option(name), b).back().second;
}
}  // namespace

TEST_CASE("sockopt values: booleans, enums, numbers, names and structures") {
  CHECK(decoded("SO_KEEPALIVE", bytes_of(1)) == true);
  CHECK(decoded("TCP_NODELAY", bytes_of(0)) == false);
  CHECK(decoded("IP_MTU_DISCOVER", bytes_of(int{IP_PMTUDISC_WANT})) == "want");
  CHECK(decoded("IP_MTU_DISCOVER", bytes_of(77)) == 77);  // no name: the number
  CHECK(decoded("SO_PEEK_OFF", bytes_of(-1)) == -1);
  CHECK(decoded("IP_TOS", {std::byte{0x10}}) == 0x10);  // a one-byte answer
  CHECK(decoded("SO_MAX_PACING_RATE", bytes_of(~uint64_t{0})) == ~uint64_t{0});
  CHECK(decoded("SO_MAX_PACING_RATE", bytes_of(uint32_t{1000})) == 1000);
  CHECK(decoded("IP_LOCAL_PORT_RANGE", bytes_of(uint32_t{(60000u << 16) | 40000u})) ==
        output::Json({{"min", 40000}, {"max", 60000}}));
  timeval tv{1, 500000};
  CHECK(decoded("SO_RCVTIMEO", bytes_of(tv)) == 1.5);
  const char cc[16] = "cubic";
  CHECK(decoded("TCP_CONGESTION", std::vector<std::byte>(reinterpret_cast<const std::byte*>(cc),
                                                         reinterpret_cast<const std::byte*>(cc) + 16)) ==
        "cubic");
  ucred c{12, 34, 56};
  CHECK(decoded("SO_PEERCRED", bytes_of(c)) == output::Json({{"pid", 12}, {"uid", 34}, {"gid", 56}}));
  const uint32_t mem[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const auto meminfo = decoded("SO_MEMINFO", bytes_of(mem));
  CHECK(meminfo["rcvbuf_bytes"] == 2);
  CHECK(meminfo["drops"] == 9);
  CHECK(decoded("IP_OPTIONS", {std::byte{1}, std::byte{0xff}}) == "01ff");
  CHECK(decoded("TCP_FASTOPEN_KEY", std::vector<std::byte>(32)) == output::Json({{"keys", 2}}));
  const auto linger_fields = net::decode_option(net::sockopt("SO_LINGER"), bytes_of(linger{1, 7}));
  REQUIRE(linger_fields.size() == 2);
  CHECK(linger_fields[0] == std::pair<std::string, output::Json>{"linger_on", true});
  CHECK(linger_fields[1] == std::pair<std::string, output::Json>{"linger_s", 7});
  CHECK(net::errno_name(ENOPROTOOPT) == "ENOPROTOOPT");
  CHECK(net::level_group(IPPROTO_IPV6) == "ipv6");
}

TEST_CASE("sockopt values: --set text encodes per type, and bad text names itself") {
  auto enc = [](std::string_view name, std::string_view text) {
    return net::encode_option_value(*net::find_socket_option(name), text);
  };
  CHECK(enc("TCP_NODELAY", "on") == bytes_of(1));
  CHECK(enc("TCP_NODELAY", "false") == bytes_of(0));
  CHECK(enc("SO_RCVBUF", "0x10000") == bytes_of(65536));
  CHECK(enc("IP_MTU_DISCOVER", "do") == bytes_of(int{IP_PMTUDISC_DO}));
  CHECK(enc("SO_PRIORITY", "-1") == bytes_of(-1));
  CHECK(enc("SO_MAX_PACING_RATE", "1000000") == bytes_of(uint64_t{1000000}));
  CHECK(enc("TCP_CONGESTION", "reno").size() == 4);
  CHECK(enc("SO_LINGER", "off") == bytes_of(linger{0, 0}));
  CHECK(enc("SO_LINGER", "3") == bytes_of(linger{1, 3}));
  const auto tv = enc("SO_SNDTIMEO", "2.25");
  timeval back{};
  std::memcpy(&back, tv.data(), sizeof back);
  CHECK(back.tv_sec == 2);
  CHECK(back.tv_usec == 250000);
  CHECK_THROWS_WITH_AS(enc("TCP_NODELAY", "maybe"), doctest::Contains("TCP_NODELAY=maybe"), UsageError);
  CHECK_THROWS_WITH_AS(enc("IP_MTU_DISCOVER", "sometimes"), doctest::Contains("want"), UsageError);
  CHECK_THROWS_AS(enc("SO_RCVBUF", "12abc"), UsageError);
  CHECK_THROWS_AS(enc("SO_RCVBUF", ""), UsageError);
  CHECK_THROWS_AS(enc("SO_RCVBUF", "99999999999"), UsageError);
  CHECK_THROWS_AS(enc("SO_SNDTIMEO", "nan"), UsageError);
  CHECK_THROWS_AS(enc("SO_SNDTIMEO", "-1"), UsageError);
  CHECK_THROWS_WITH_AS(enc("SO_TYPE", "1"), doctest::Contains("read-only"), UsageError);
  CHECK_THROWS_WITH_AS(enc("IP_ADD_MEMBERSHIP", "1"), doctest::Contains("structure"), UsageError);
}

TEST_CASE("sockopt values: every table option on a fresh socket of every kind") {
  struct Kind {
    int family, type, protocol;
  };
  std::vector<Kind> kinds = {{AF_INET, SOCK_STREAM, 0},   {AF_INET6, SOCK_STREAM, 0},
                             {AF_INET, SOCK_DGRAM, 0},    {AF_INET6, SOCK_DGRAM, 0},
                             {AF_UNIX, SOCK_STREAM, 0},   {AF_UNIX, SOCK_DGRAM, 0},
                             {AF_UNIX, SOCK_SEQPACKET, 0}};
  // Raw sockets where we may open them (CAP_NET_RAW); without, the rest still runs.
  for (Kind raw : {Kind{AF_INET, SOCK_RAW, IPPROTO_ICMP}, Kind{AF_INET6, SOCK_RAW, IPPROTO_ICMPV6}})
    if (const int fd = net::try_socket(raw.family, raw.type, raw.protocol); fd >= 0) {
      net::UniqueFd close_it(fd);
      kinds.push_back(raw);
    }
  for (const Kind& k : kinds) {
    net::UniqueFd fd = net::open_socket(k.family, k.type, k.protocol);
    for (const auto& o : net::socket_options()) {
      for (bool foreign : {false, true}) {
        const net::OptionReading r = net::read_option(net::SocketHandle(fd), o, foreign);
        REQUIRE_MESSAGE(!r.fields.empty(), o.name);
        if (r.error != 0 || !r.skipped.empty())
          for (const auto& f : r.fields) CHECK_MESSAGE(f.second.is_null(), o.name);
        CHECK_MESSAGE(r.fields.back().first == net::json_key(o), o.name);
      }
    }
    output::Json info;
    const int rc = net::read_tcp_info(net::SocketHandle(fd), info);
    CHECK((k.type == SOCK_STREAM && k.family != AF_UNIX) == (rc == 0));
  }
}

TEST_CASE("sockopt values: reads with side effects are skipped on sockets we do not own") {
  net::UniqueFd fd = net::open_socket(AF_INET, SOCK_STREAM);
  const auto own = net::read_option(net::SocketHandle(fd), net::sockopt("SO_ERROR"), false);
  CHECK(own.error == 0);
  CHECK(own.fields.back().second == 0);
  const auto foreign = net::read_option(net::SocketHandle(fd), net::sockopt("SO_ERROR"), true);
  CHECK_FALSE(foreign.skipped.empty());
  CHECK(foreign.fields.back().second.is_null());
  const auto zc = net::read_option(net::SocketHandle(fd), net::sockopt("TCP_ZEROCOPY_RECEIVE"), false);
  CHECK_FALSE(zc.skipped.empty());
}

TEST_CASE("sockopt values: a connected socket's peer name, TCP_INFO and CC info") {
  net::UniqueFd server = net::listen_on(*net::SocketAddress::from_ip("127.0.0.1", 0));
  const net::SocketAddress addr = net::local_address(server.get());
  const net::Connection c = net::connect_any(std::span(&addr, 1), std::chrono::seconds(2));
  const auto peer = net::read_option(net::SocketHandle(c.fd), net::sockopt("SO_PEERNAME"), false);
  CHECK(peer.error == 0);
  CHECK(peer.fields.back().second == addr.to_string());
  output::Json info, cc;
  REQUIRE(net::read_tcp_info(net::SocketHandle(c.fd), info) == 0);
  CHECK(info["state"] == "established");
  CHECK(info["length_bytes"].get<std::size_t>() >= 104);
  CHECK(info["snd_mss_bytes"].get<unsigned>() > 0);
  REQUIRE(net::read_tcp_cc_info(net::SocketHandle(c.fd), cc) == 0);
  CHECK(cc["algorithm"].is_string());
}
