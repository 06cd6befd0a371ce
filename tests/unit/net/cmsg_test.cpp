// Control-message helpers: built buffers parse back, short or overlong lengths are refused, and the
// kernel's own messages (IP_RECVERR, SCM_RIGHTS, SCM_CREDENTIALS) decode (loopback / socketpair only).
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <vector>

#include "net/cmsg.hpp"
#include "net/error_queue.hpp"
#include "net/socket_calls.hpp"

using namespace nt;

namespace {
struct Parsed {
  int messages = 0, ttl = -1, tos = -1;
  timespec ts{};
  bool complete = false;
};
Parsed parse(std::span<const std::byte> control) {
  Parsed p;
  p.complete = net::ControlMessages(control).for_each([&](const net::Cmsg& c) {
    ++p.messages;
    (void)(net::read_timestamp(c, p.ts) || net::read_hop_limit(c, p.ttl) ||
           net::read_traffic_class(c, p.tos));
  });
  return p;
}
}  // namespace

TEST_CASE("cmsg: a built buffer parses back") {
  alignas(cmsghdr) std::array<std::byte, 256> buf{};
  net::ControlBuilder b(buf);
  REQUIRE(b.add_value(SOL_SOCKET, SCM_TIMESTAMPNS, timespec{12, 345}));
  REQUIRE(b.add_value(IPPROTO_IP, IP_TTL, 63));
  REQUIRE(b.add_value(IPPROTO_IP, IP_TOS, uint8_t{0xb8}));
  const Parsed p = parse(std::span(buf).first(b.size()));
  CHECK(p.complete);
  CHECK(p.messages == 3);
  CHECK(p.ts.tv_sec == 12);
  CHECK(p.ts.tv_nsec == 345);
  CHECK(p.ttl == 63);
  CHECK(p.tos == 0xb8);
}

TEST_CASE("cmsg: the builder refuses what does not fit") {
  alignas(cmsghdr) std::array<std::byte, CMSG_SPACE(sizeof(int)) + 4> buf{};
  net::ControlBuilder b(buf);
  CHECK(b.add_value(IPPROTO_IP, IP_TTL, 1));
  CHECK_FALSE(b.add_value(IPPROTO_IP, IP_TTL, 2));
  CHECK(b.size() == CMSG_SPACE(sizeof(int)));
}

TEST_CASE("cmsg: short payloads and bad lengths are rejected") {
  alignas(cmsghdr) std::array<std::byte, 64> buf{};
  net::ControlBuilder b(buf);
  REQUIRE(b.add_value(IPPROTO_IP, IP_TTL, uint16_t{7}));  // two bytes where an int is due
  const Parsed p = parse(std::span(buf).first(b.size()));
  CHECK(p.messages == 1);
  CHECK(p.ttl == -1);

  cmsghdr h{};
  h.cmsg_len = 200;  // claims more than the buffer holds
  h.cmsg_level = IPPROTO_IP;
  h.cmsg_type = IP_TTL;
  std::memcpy(buf.data(), &h, sizeof h);
  CHECK_FALSE(parse(buf).complete);
  CHECK(parse(buf).messages == 0);
  h.cmsg_len = 4;  // shorter than its own header
  std::memcpy(buf.data(), &h, sizeof h);
  CHECK_FALSE(parse(buf).complete);
  CHECK(parse(std::span(buf).first(sizeof(cmsghdr) - 1)).messages == 0);  // no room for a header
}

TEST_CASE("cmsg: pktinfo round trip, v4 and v6") {
  alignas(cmsghdr) std::array<std::byte, 128> buf{};
  net::ControlBuilder b(buf);
  REQUIRE(b.add_pktinfo({*net::SocketAddress::from_ip("127.0.0.2"), 1}));
  REQUIRE(b.add_pktinfo({*net::SocketAddress::from_ip("::1"), 1}));
  std::vector<std::string> seen;
  net::ControlMessages(std::span(buf).first(b.size())).for_each([&](const net::Cmsg& c) {
    net::PacketInfo info;
    if (c.level == IPPROTO_IP) {  // the builder wrote ipi_spec_dst, not ipi_addr
      in_pktinfo pi{};
      REQUIRE(net::cmsg_read(c, pi));
      CHECK(pi.ipi_spec_dst.s_addr == htonl(0x7f000002));
    } else if (net::read_pktinfo(c, info)) {
      seen.push_back(info.destination.host());
      CHECK(info.ifindex == 1);
    }
  });
  CHECK(seen == std::vector<std::string>{"::1"});
}

TEST_CASE("cmsg: a real IP_RECVERR from a UDP send to a closed loopback port") {
  net::UniqueFd hold = net::open_socket(AF_INET, SOCK_DGRAM);  // owns a port, then gives it up
  net::SocketAddress closed = *net::SocketAddress::from_ip("127.0.0.1");
  net::bind_or_throw(hold, closed);
  REQUIRE(net::SocketHandle(hold).local_address(closed) == 0);
  hold.reset();
  net::UniqueFd fd = net::open_socket(AF_INET, SOCK_DGRAM);
  net::SocketHandle s(fd);
  REQUIRE(net::enable_error_queue(s, AF_INET) == 0);
  const std::array<std::byte, 4> probe{};
  REQUIRE(s.send_to(probe, closed) == 4);
  std::array<std::byte, 64> original{};
  net::ErrorQueueEntry e;
  ssize_t n = -EAGAIN;
  for (int i = 0; i < 200 && n == -EAGAIN; ++i, usleep(5000)) n = net::read_error_queue(s, original, e);
  REQUIRE(n == 4);
  CHECK(e.has_extended_error);
  CHECK(e.error == ECONNREFUSED);
  CHECK(e.origin == SO_EE_ORIGIN_ICMP);
  CHECK(e.type == 3);  // destination unreachable
  CHECK(e.code == 3);  // port unreachable
  CHECK(e.offender.host() == "127.0.0.1");
  CHECK(e.destination == closed);
  CHECK_FALSE(e.control_truncated);
  CHECK(net::read_error_queue(s, original, e) == -EAGAIN);
}

TEST_CASE("cmsg: SCM_RIGHTS and SCM_CREDENTIALS over a socketpair") {
  std::array<int, 2> pair{};
  REQUIRE(::socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, pair.data()) == 0);
  net::UniqueFd a(pair[0]), b(pair[1]);
  REQUIRE(net::SocketHandle(b).set_int(net::sockopt("SO_PASSCRED"), 1) == 0);
  alignas(cmsghdr) std::array<std::byte, 128> out{};
  net::ControlBuilder builder(out);
  const std::array<int, 1> sent{STDIN_FILENO};
  REQUIRE(builder.add_fds(sent));
  REQUIRE(builder.add_credentials(ucred{getpid(), getuid(), getgid()}));
  std::byte payload{1};
  iovec iov{&payload, 1};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  builder.attach(msg);
  REQUIRE(net::SocketHandle(a).send_msg(msg) == 1);

  alignas(cmsghdr) std::array<std::byte, 128> in{};
  msghdr rmsg{};
  rmsg.msg_iov = &iov;
  rmsg.msg_iovlen = 1;
  rmsg.msg_control = in.data();
  rmsg.msg_controllen = in.size();
  REQUIRE(net::SocketHandle(b).recv_msg(rmsg) == 1);
  std::array<int, 4> fds{-1, -1, -1, -1};
  std::size_t got = 0;
  ucred cred{};
  bool have_cred = false;
  net::ControlMessages control(rmsg);
  CHECK_FALSE(control.truncated());
  control.for_each([&](const net::Cmsg& c) {
    got += net::read_fds(c, fds);
    have_cred = have_cred || net::read_credentials(c, cred);
  });
  REQUIRE(got == 1);
  CHECK(fds[0] != STDIN_FILENO);  // a new descriptor for the same file
  ::close(fds[0]);
  CHECK(have_cred);
  CHECK(cred.pid == getpid());
}

TEST_CASE("cmsg: MSG_CTRUNC is reported when the control buffer is too small") {
  std::array<int, 2> pair{};
  REQUIRE(::socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, pair.data()) == 0);
  net::UniqueFd a(pair[0]), b(pair[1]);
  alignas(cmsghdr) std::array<std::byte, 64> out{};
  net::ControlBuilder builder(out);
  const std::array<int, 3> sent{STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO};
  REQUIRE(builder.add_fds(sent));
  std::byte payload{1};
  iovec iov{&payload, 1};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  builder.attach(msg);
  REQUIRE(net::SocketHandle(a).send_msg(msg) == 1);
  alignas(cmsghdr) std::array<std::byte, CMSG_SPACE(sizeof(int))> small{};
  msghdr rmsg{};
  rmsg.msg_iov = &iov;
  rmsg.msg_iovlen = 1;
  rmsg.msg_control = small.data();
  rmsg.msg_controllen = small.size();
  REQUIRE(net::SocketHandle(b).recv_msg(rmsg) == 1);
  net::ControlMessages control(rmsg);
  CHECK(control.truncated());
  std::array<int, 3> fds{-1, -1, -1};
  std::size_t got = 0;
  control.for_each([&](const net::Cmsg& c) { got += net::read_fds(c, fds); });
  CHECK(got == 2);  // room for two (CMSG_SPACE(4) == CMSG_LEN(8)); the kernel closed the third
  for (std::size_t i = 0; i < std::min<std::size_t>(got, fds.size()); ++i) ::close(fds[i]);
}
