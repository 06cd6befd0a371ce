#include "icmp/socket.hpp"

#include <fmt/format.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <fstream>

#include "icmp/codec.hpp"
#include "net/socket.hpp"
#include "sys/error.hpp"

namespace nt::icmp {

namespace {

int protocol_of(int family) {
  return family == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
}

int try_open(int family, int type) {
  int fd = ::socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol_of(family));
  return fd >= 0 ? fd : -errno;
}

// EACCES (ping sockets: gid outside ping_group_range) and EPERM (raw: no CAP_NET_RAW) are the
// permission answers; EAFNOSUPPORT / EPROTONOSUPPORT mean the kernel lacks the family or ping sockets.
bool is_permission(int err) {
  return err == EACCES || err == EPERM;
}

std::string read_first_line(const char* path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return "unreadable";
  for (auto& c : line) c = c == '\t' ? ' ' : c;
  return line;
}

std::string self_path() {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string("nettool");
}

void set_option(int fd, int level, int name, int value, const char* what) {
  if (::setsockopt(fd, level, name, &value, sizeof value) != 0) throw_errno(fmt::format("setting {}", what));
}

void install_filter(const IcmpSocket& s) {
  if (s.family == AF_INET) {
    // ICMP_FILTER is a mask of types to drop: keep echo replies and the errors that quote a probe,
    // so a busy host's echo requests (our own on loopback included) never reach us.
    icmp_filter filter{};
    filter.data = ~((1u << kEchoReplyV4) | (1u << kDestUnreachV4) | (1u << kSourceQuenchV4) |
                    (1u << kTimeExceededV4) | (1u << kParamProblemV4));
    if (::setsockopt(s.fd.get(), SOL_RAW, ICMP_FILTER, &filter, sizeof filter) != 0)
      throw_errno("setting ICMP_FILTER");
    return;
  }
  icmp6_filter filter{};
  std::memset(&filter, 0xff, sizeof filter);  // RFC 3542 3.2: a set bit blocks the type
  for (uint8_t type : {kEchoReplyV6, kDestUnreachV6, kPacketTooBigV6, kTimeExceededV6, kParamProblemV6}) {
    filter.data[type >> 5] &= ~(1u << (type & 31));
  }
  if (::setsockopt(s.fd.get(), IPPROTO_ICMPV6, ICMPV6_FILTER, &filter, sizeof filter) != 0) {
    throw_errno("setting ICMPV6_FILTER");
  }
}

void set_receive_buffer(int fd, int bytes) {
  // SO_RCVBUFFORCE passes net.core.rmem_max when we hold CAP_NET_ADMIN; otherwise the capped request.
  if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) == 0) return;
  (void)::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
}

void apply_setup(const IcmpSocket& s, const SocketSetup& setup) {
  int fd = s.fd.get();
  bool v6 = s.family == AF_INET6;
  if (setup.ttl >= 0) {
    set_option(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_UNICAST_HOPS : IP_TTL, setup.ttl,
               "the TTL (-t)");
    set_option(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_MULTICAST_HOPS : IP_MULTICAST_TTL, setup.ttl,
               "the multicast TTL (-t)");
  }
  if (setup.tos >= 0)
    set_option(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_TCLASS : IP_TOS, setup.tos, "the TOS (-Q)");
  if (!setup.device.empty() && ::setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, setup.device.data(),
                                            static_cast<socklen_t>(setup.device.size())) != 0) {
    throw_errno(fmt::format("binding to interface '{}' (-I)", setup.device));
  }
  if (setup.source && setup.source->family() == s.family &&
      ::bind(fd, setup.source->get(), setup.source->size()) != 0) {
    throw_errno(fmt::format("binding to source address {} (-I)", setup.source->host()));
  }
}

}  // namespace

std::string privilege_advice(int family, SocketMode mode, int dgram_errno, int raw_errno) {
  const char* ip = family == AF_INET6 ? "ICMPv6" : "ICMP";
  std::string dgram = fmt::format(
      "{} datagram sockets are refused for gid {} (net.ipv4.ping_group_range is '{}'; allow with: "
      "sysctl -w net.ipv4.ping_group_range='0 2147483647')",
      ip, ::getgid(), read_first_line("/proc/sys/net/ipv4/ping_group_range"));
  std::string raw = fmt::format("raw {} sockets need CAP_NET_RAW (grant it with: setcap cap_net_raw+ep {})",
                                ip, self_path());
  if (mode == SocketMode::raw) return raw;
  if (mode == SocketMode::dgram) return dgram;
  if (!is_permission(dgram_errno)) return fmt::format("{} ({})", raw, std::strerror(raw_errno));
  if (!is_permission(raw_errno)) return dgram;
  return fmt::format("{}, and {}", raw, dgram);
}

IcmpSocket open_icmp_socket(int family, SocketMode mode) {
  int dgram_err = 0, raw_err = 0;
  if (mode != SocketMode::raw) {
    int fd = try_open(family, SOCK_DGRAM);
    if (fd >= 0) return IcmpSocket{net::UniqueFd(fd), family, false};
    dgram_err = -fd;
  }
  if (mode != SocketMode::dgram) {
    int fd = try_open(family, SOCK_RAW);
    if (fd >= 0) return IcmpSocket{net::UniqueFd(fd), family, true};
    raw_err = -fd;
  }
  const char* ip = family == AF_INET6 ? "ICMPv6" : "ICMP";
  if ((mode != SocketMode::raw && is_permission(dgram_err)) ||
      (mode != SocketMode::dgram && is_permission(raw_err))) {
    throw PrivilegeError(
        fmt::format("cannot open an {} socket: {}", ip, privilege_advice(family, mode, dgram_err, raw_err)));
  }
  int err = raw_err ? raw_err : dgram_err;
  throw RuntimeError(fmt::format("cannot open an {} socket: {}", ip, std::strerror(err)));
}

void configure_icmp_socket(const IcmpSocket& s, const SocketSetup& setup) {
  int fd = s.fd.get();
  bool v6 = s.family == AF_INET6;
  if (s.raw) install_filter(s);
  set_option(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1, "SO_TIMESTAMPNS");
  if (v6) {
    set_option(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT");
  } else if (!s.raw) {
    set_option(fd, IPPROTO_IP, IP_RECVTTL, 1, "IP_RECVTTL");  // raw packets carry the IP header instead
  }
  if (!s.raw) {
    // Ping sockets report ICMP errors only through the error queue. Raw sockets see the error packets
    // themselves, so enabling it there would report every error twice.
    set_option(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_RECVERR : IP_RECVERR, 1, "IP_RECVERR");
  }
  set_receive_buffer(fd, setup.receive_buffer);
  apply_setup(s, setup);
}

}  // namespace nt::icmp
