#include "subcommands/portscan/udp_scan.hpp"

#include <linux/errqueue.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>

#include "net/error_queue.hpp"
#include "net/socket_calls.hpp"
#include "sys/error.hpp"

namespace nt::portscan {

namespace {

// DNS (RFC 1035 §4.1): id 0x4e54, RD, one question: ". IN NS". Any server answers this, if only REFUSED.
constexpr std::array<unsigned char, 17> kDnsQuery{0x4e, 0x54, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
                                                  0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01};
// SNTP (RFC 4330 §4): 48 bytes, LI 0, VN 4, mode 3 (client); the rest may be zero.
constexpr std::array<unsigned char, 48> kNtpRequest{0x23};

net::UniqueFd open_udp(int family) {
  net::UniqueFd fd = net::open_socket(family, SOCK_DGRAM, 0, true);
  // IP_RECVERR: ICMP errors for datagrams we sent are queued with the original destination, even on an
  // unconnected socket, so one socket serves every port (ip(7), ipv6(7)).
  net::set_option_or_throw(fd, family == AF_INET6 ? net::sockopt("IPV6_RECVERR") : net::sockopt("IP_RECVERR"),
                           1);
  net::set_option_or_throw(fd, net::sockopt("SO_RCVBUF"), 4 << 20);
  return fd;
}

}  // namespace

std::span<const std::byte> udp_payload(uint16_t port) noexcept {
  if (port == 53) return std::as_bytes(std::span(kDnsQuery));
  if (port == 123) return std::as_bytes(std::span(kNtpRequest));
  return {};
}

UdpScanner::UdpScanner(event::EventLoop& loop, Engine& engine, const Plan& plan)
    : loop_(loop), engine_(engine) {
  bool v4 = false, v6 = false;
  for (const auto& r : plan.targets.ranges()) (r.family == AF_INET6 ? v6 : v4) = true;
  if (v4) sock4_ = open_udp(AF_INET);
  if (v6) sock6_ = open_udp(AF_INET6);
  for (auto* s : {&sock4_, &sock6_}) {
    if (!*s) continue;
    const int fd = s->get(), family = s == &sock6_ ? AF_INET6 : AF_INET;
    loop_.add(fd, EPOLLIN, [this, fd, family](uint32_t) { on_ready(fd, family); });
  }
}

UdpScanner::~UdpScanner() {
  for (auto* s : {&sock4_, &sock6_})
    if (*s) loop_.remove(s->get());
}

Transport::SendResult UdpScanner::send(const Probe& probe) {
  const auto dst = probe.key.addr.socket_address(probe.key.port);
  const net::SocketHandle sock(probe.key.addr.family == AF_INET6 ? sock6_ : sock4_);
  const auto payload = udp_payload(probe.key.port);
  // An ICMP error queued earlier is also reported once as the socket's pending error, which the next
  // sendto returns instead of sending (sock_error in the send path): retry, the error is consumed.
  for (int attempt = 0; attempt < 4; ++attempt) {
    const ssize_t sent = sock.send_to(payload, dst);
    if (sent >= 0) return {Status::sent};
    const int err = static_cast<int>(-sent);
    if (err == EAGAIN || err == ENOBUFS || err == ENOMEM) return {Status::busy};
    if (err == ECONNREFUSED || err == EHOSTUNREACH || err == ENETUNREACH || err == EINTR) continue;
    if (auto verdict = scan::classify_connect(err)) return {Status::done, verdict};
    throw_errno("sending a UDP probe to " + dst.to_string(), err);
  }
  return {Status::busy};
}

void UdpScanner::on_ready(int fd, int family) {
  read_errors(fd, family);
  read_replies(fd);
  read_errors(fd, family);
}

void UdpScanner::read_replies(int fd) {
  std::array<std::byte, 2048> buf{};
  for (int i = 0; i < 4096; ++i) {
    net::SocketAddress from;
    const ssize_t n = net::SocketHandle(fd).recv_from(buf, from, MSG_DONTWAIT);
    if (n < 0) {
      if (n == -EAGAIN) return;
      continue;  // a pending ICMP error surfacing here; the error queue has the details
    }
    engine_.complete({scan::IpAddress::from_socket(from), from.port()},
                     {scan::PortState::open, "udp-response"}, loop_.now());
  }
}

void UdpScanner::read_errors(int fd, int family) {
  for (int i = 0; i < 4096; ++i) {
    std::array<std::byte, 512> data{};
    net::ErrorQueueEntry e;
    if (net::read_error_queue(net::SocketHandle(fd), data, e) < 0) return;
    // Only ICMP errors say something about the port; the family check skips IPv4 errors that a
    // dual-stack socket might carry.
    const bool icmp6 = e.origin == SO_EE_ORIGIN_ICMP6;
    if (!e.has_extended_error || (e.origin != SO_EE_ORIGIN_ICMP && !icmp6) || icmp6 != (family == AF_INET6))
      continue;
    auto verdict = scan::classify_icmp_error(icmp6, e.type, e.code, true);
    if (verdict)
      engine_.complete({scan::IpAddress::from_socket(e.destination), e.destination.port()}, *verdict,
                       loop_.now());
  }
}

}  // namespace nt::portscan
