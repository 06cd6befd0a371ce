// The core datagram batch: one recvmmsg, replies leaving from the request's destination (pktinfo).
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>

#include <array>
#include <vector>

#include "net/datagram_batch.hpp"
#include "net/socket_calls.hpp"

using namespace nt;

TEST_CASE("datagram batch: receives a burst in one call and answers each from the address it reached") {
  net::UniqueFd server = net::open_socket(AF_INET, SOCK_DGRAM, 0, true);
  net::bind_or_throw(server, net::SocketAddress::any(AF_INET));  // wildcard: replies need IP_PKTINFO
  net::DatagramBatch::enable_socket_options(server, AF_INET, true);
  net::SocketAddress port;
  REQUIRE(net::SocketHandle(server).local_address(port) == 0);
  const auto to = *net::SocketAddress::from_ip("127.0.0.1", port.port());

  net::UniqueFd client = net::open_socket(AF_INET, SOCK_DGRAM);
  net::SocketHandle c(client);
  for (uint8_t i = 0; i < 3; ++i) {
    const std::array<std::byte, 2> msg{std::byte{'q'}, std::byte{i}};
    REQUIRE(c.send_to(msg, to) == 2);
  }
  pollfd p{server.get(), POLLIN, 0};
  REQUIRE(::poll(&p, 1, 2000) == 1);

  net::DatagramBatch batch(8, 64, 16);
  const int n = batch.receive(server);
  REQUIRE(n == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(batch.payload(i).size() == 2);
    CHECK(batch.payload(i)[1] == std::byte(i));
    CHECK_FALSE(batch.truncated(i));
    CHECK(batch.receive_ns(i, -1) > 0);  // the kernel's SO_TIMESTAMPNS, not the fallback
    auto reply = batch.reply_buffer(i);
    CHECK(reply.size() == 16);
    reply[0] = std::byte{'r'};
    batch.queue_reply(i, 1);
  }
  const auto sent = batch.send_queued(server);
  CHECK(sent.sent == 3);
  CHECK(sent.failed == 0);
  for (int i = 0; i < 3; ++i) {
    std::array<std::byte, 8> buf{};
    net::SocketAddress from;
    REQUIRE(c.recv_from(buf, from) == 1);
    CHECK(from == to);
  }
  CHECK(batch.receive(server) == -EAGAIN);
}

TEST_CASE("send_each: a refused message is reported by index and skipped, or ends the run") {
  net::UniqueFd sink = net::open_socket(AF_INET, SOCK_DGRAM);
  net::bind_or_throw(sink, *net::SocketAddress::from_ip("127.0.0.1"));
  net::SocketAddress to;
  REQUIRE(net::SocketHandle(sink).local_address(to) == 0);
  const auto wrong_family = *net::SocketAddress::from_ip("::1", to.port());  // an IPv4 socket refuses it
  net::UniqueFd fd = net::open_socket(AF_INET, SOCK_DGRAM);
  std::array<std::byte, 1> byte{};
  std::array<iovec, 3> iov{};
  std::array<mmsghdr, 3> msgs{};
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& dst = i == 1 ? wrong_family : to;
    iov[i] = {byte.data(), byte.size()};
    msgs[i].msg_hdr.msg_name = const_cast<sockaddr*>(dst.get());
    msgs[i].msg_hdr.msg_namelen = dst.size();
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }
  std::vector<std::size_t> refused;
  auto skip = [&](std::size_t i, int err) {
    refused.push_back(i);
    CHECK(err != 0);
    return true;
  };
  CHECK(net::send_each(fd, msgs, 0, skip) == 2);
  CHECK(refused == std::vector<std::size_t>{1});
  CHECK(net::send_each(fd, msgs, 0, [](std::size_t, int) { return false; }) == 1);
}
