#include "subcommands/udp_time/batch_io.hpp"

#include <netinet/in.h>
#include <time.h>

#include <cerrno>
#include <cstring>

#include "net/socket.hpp"

namespace nt::udp_time {

namespace {
// Room for SCM_TIMESTAMPNS plus one pktinfo (v4 or v6), with slack for alignment.
constexpr std::size_t kControlSize =
    CMSG_SPACE(sizeof(timespec)) + CMSG_SPACE(sizeof(in6_pktinfo)) + CMSG_SPACE(sizeof(in_pktinfo)) + 32;
constexpr std::size_t kReplyControlSize = CMSG_SPACE(sizeof(in6_pktinfo)) + 16;
}  // namespace

DatagramBatch::DatagramBatch(std::size_t slots, std::size_t buffer_size)
    : slots_(slots),
      buffer_size_(buffer_size),
      buffers_(slots * buffer_size),
      replies_(slots * kReplyCapacity),
      sources_(slots),
      controls_(slots * kControlSize),
      reply_controls_(slots * kReplyControlSize),
      in_(slots),
      out_(slots),
      in_iov_(slots),
      out_iov_(slots) {}

void DatagramBatch::enable_socket_options(int fd, int family, bool wildcard) {
  net::set_int_option(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1, "SO_TIMESTAMPNS");
  if (!wildcard) return;
  if (family == AF_INET6) {
    net::set_int_option(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO");
  }
  // On a dual-stack IPv6 socket, IPv4 datagrams report their destination through IP_PKTINFO.
  if (family == AF_INET || net::get_int_option(fd, IPPROTO_IPV6, IPV6_V6ONLY) == 0) {
    net::set_int_option(fd, IPPROTO_IP, IP_PKTINFO, 1, "IP_PKTINFO");
  }
}

int DatagramBatch::receive(int fd) noexcept {
  for (std::size_t i = 0; i < slots_; ++i) {
    in_iov_[i] = {&buffers_[i * buffer_size_], buffer_size_};
    msghdr& h = in_[i].msg_hdr;
    h = {};
    h.msg_name = &sources_[i];
    h.msg_namelen = sizeof(sockaddr_storage);
    h.msg_iov = &in_iov_[i];
    h.msg_iovlen = 1;
    h.msg_control = &controls_[i * kControlSize];
    h.msg_controllen = kControlSize;
  }
  int n;
  do {
    n = ::recvmmsg(fd, in_.data(), static_cast<unsigned>(slots_), MSG_DONTWAIT, nullptr);
  } while (n < 0 && errno == EINTR);
  received_ = n > 0 ? static_cast<std::size_t>(n) : 0;
  queued_ = 0;
  return n < 0 ? -errno : n;
}

std::span<const std::byte> DatagramBatch::payload(std::size_t i) const noexcept {
  std::size_t len = std::min<std::size_t>(in_[i].msg_len, buffer_size_);
  return {&buffers_[i * buffer_size_], len};
}

bool DatagramBatch::truncated(std::size_t i) const noexcept {
  return (in_[i].msg_hdr.msg_flags & MSG_TRUNC) != 0;
}

const sockaddr* DatagramBatch::source(std::size_t i) const noexcept {
  return reinterpret_cast<const sockaddr*>(&sources_[i]);
}

socklen_t DatagramBatch::source_len(std::size_t i) const noexcept {
  return in_[i].msg_hdr.msg_namelen;
}

int64_t DatagramBatch::receive_ns(std::size_t i, int64_t fallback_ns) const noexcept {
  auto* h = const_cast<msghdr*>(&in_[i].msg_hdr);
  for (cmsghdr* c = CMSG_FIRSTHDR(h); c != nullptr; c = CMSG_NXTHDR(h, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
      timespec ts{};
      std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
      return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
    }
  }
  return fallback_ns;
}

std::span<std::byte> DatagramBatch::reply_buffer(std::size_t i) noexcept {
  return {&replies_[i * kReplyCapacity], kReplyCapacity};
}

// Copies the request's destination address into an IP_PKTINFO / IPV6_PKTINFO for the reply.
std::size_t DatagramBatch::build_reply_control(std::size_t i, std::byte* out) const noexcept {
  auto* h = const_cast<msghdr*>(&in_[i].msg_hdr);
  std::memset(out, 0, kReplyControlSize);
  msghdr tmp{};
  tmp.msg_control = out;
  tmp.msg_controllen = kReplyControlSize;
  cmsghdr* dst = CMSG_FIRSTHDR(&tmp);
  for (cmsghdr* c = CMSG_FIRSTHDR(h); c != nullptr; c = CMSG_NXTHDR(h, c)) {
    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
      in_pktinfo in{}, reply{};
      std::memcpy(&in, CMSG_DATA(c), sizeof in);
      reply.ipi_spec_dst = in.ipi_addr;  // source address of the reply; ifindex 0: let routing pick
      *dst = {CMSG_LEN(sizeof reply), IPPROTO_IP, IP_PKTINFO};
      std::memcpy(CMSG_DATA(dst), &reply, sizeof reply);
      return CMSG_SPACE(sizeof reply);
    }
    if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
      in6_pktinfo in{};
      std::memcpy(&in, CMSG_DATA(c), sizeof in);
      in.ipi6_ifindex = IN6_IS_ADDR_LINKLOCAL(&in.ipi6_addr) ? in.ipi6_ifindex : 0;
      *dst = {CMSG_LEN(sizeof in), IPPROTO_IPV6, IPV6_PKTINFO};
      std::memcpy(CMSG_DATA(dst), &in, sizeof in);
      return CMSG_SPACE(sizeof in);
    }
  }
  return 0;
}

void DatagramBatch::queue_reply(std::size_t i, std::size_t len) noexcept {
  std::size_t k = queued_++;
  out_iov_[k] = {&replies_[i * kReplyCapacity], len};
  msghdr& h = out_[k].msg_hdr;
  h = {};
  h.msg_name = &sources_[i];
  h.msg_namelen = in_[i].msg_hdr.msg_namelen;
  h.msg_iov = &out_iov_[k];
  h.msg_iovlen = 1;
  std::byte* control = &reply_controls_[k * kReplyControlSize];
  std::size_t control_len = build_reply_control(i, control);
  h.msg_control = control_len ? control : nullptr;
  h.msg_controllen = control_len;
}

DatagramBatch::SendResult DatagramBatch::send_queued(int fd) noexcept {
  SendResult r;
  std::size_t next = 0;
  while (next < queued_) {
    int n = ::sendmmsg(fd, &out_[next], static_cast<unsigned>(queued_ - next), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      // The first message failed (EAGAIN: socket buffer full; EPERM: a firewall; …): skip it, as a
      // lost datagram, and go on with the rest.
      ++r.failed;
      ++next;
      continue;
    }
    r.sent += static_cast<std::size_t>(n);
    next += static_cast<std::size_t>(n);
  }
  queued_ = 0;
  return r;
}

}  // namespace nt::udp_time
