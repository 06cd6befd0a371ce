// SynBatch over a UDP socket on loopback: the batching does not care what the bytes are.
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <string>
#include <vector>

#include "net/socket.hpp"
#include "subcommands/portscan/syn_batch.hpp"

using namespace nt;
using nt::portscan::ProbeKey;
using nt::portscan::SynBatch;

namespace {
std::span<const std::byte> bytes_of(const std::string& s) {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}
std::string receive(int fd) {
  char buf[64];
  const ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
  return n < 0 ? std::string("<none>") : std::string(buf, static_cast<std::size_t>(n));
}
}  // namespace

TEST_CASE("SYN batch: every packet in order, a refused one reported and skipped") {
  net::UniqueFd sink = net::make_socket(AF_INET, SOCK_DGRAM);
  const auto lo = *net::SocketAddress::from_ip("127.0.0.1", 0);
  REQUIRE(::bind(sink.get(), lo.get(), lo.size()) == 0);
  const net::SocketAddress to = net::local_address(sink.get());
  const auto wrong_family = *net::SocketAddress::from_ip("::1", to.port());
  net::UniqueFd sender = net::make_socket(AF_INET, SOCK_DGRAM);

  SynBatch batch;
  batch.add(sender.get(), bytes_of("one"), to, ProbeKey{{}, 1});
  batch.add(sender.get(), bytes_of("bad"), wrong_family, ProbeKey{{}, 2});
  batch.add(sender.get(), bytes_of("three"), to, ProbeKey{{}, 3});
  std::vector<uint16_t> refused;
  batch.flush([&](const ProbeKey& key, int) {
    refused.push_back(key.port);
    return true;
  });
  CHECK(refused == std::vector<uint16_t>{2});
  CHECK(receive(sink.get()) == "one");
  CHECK(receive(sink.get()) == "three");
  CHECK(receive(sink.get()) == "<none>");

  SUBCASE("giving up leaves the rest unsent; the batch is empty afterwards") {
    batch.add(sender.get(), bytes_of("bad"), wrong_family, ProbeKey{{}, 4});
    batch.add(sender.get(), bytes_of("five"), to, ProbeKey{{}, 5});
    batch.flush([](const ProbeKey&, int) { return false; });
    CHECK(receive(sink.get()) == "<none>");
    batch.flush([](const ProbeKey&, int) { return true; });
    CHECK(receive(sink.get()) == "<none>");
  }
  for (std::size_t i = 0; i < SynBatch::kCapacity; ++i) batch.add(sender.get(), bytes_of("x"), to, {});
  CHECK(batch.full());
}
