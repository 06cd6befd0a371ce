#include "net/datagram_batch.hpp"

#include <netinet/in.h>
#include <time.h>

#include <cerrno>
#include <cstring>

#include "net/cmsg.hpp"
#include "net/socket_calls.hpp"

namespace nt::net {

namespace {
// Room for SCM_TIMESTAMPNS, one pktinfo (v4 or v6) and the TTL/hop limit and TOS/traffic class a
// multicast receiver asks for (IP_RECVTTL, IP_RECVTOS, IPV6_RECVHOPLIMIT, IPV6_RECVTCLASS), with slack.
constexpr std::size_t kControlSize = CMSG_SPACE(sizeof(timespec)) + CMSG_SPACE(sizeof(in6_pktinfo)) +
                                     CMSG_SPACE(sizeof(in_pktinfo)) + 2 * CMSG_SPACE(sizeof(int)) + 32;
constexpr std::size_t kReplyControlSize = CMSG_SPACE(sizeof(in6_pktinfo)) + 16;
}  // namespace

DatagramBatch::DatagramBatch(std::size_t slots, std::size_t buffer_size, std::size_t reply_capacity)
    : slots_(slots),
      buffer_size_(buffer_size),
      reply_capacity_(reply_capacity),
      buffers_(slots * buffer_size),
      replies_(slots * reply_capacity),
      sources_(slots),
      controls_(slots * kControlSize),
      reply_controls_(slots * kReplyControlSize),
      in_(slots),
      out_(slots),
      in_iov_(slots),
      out_iov_(slots) {}

void DatagramBatch::enable_socket_options(SocketHandle s, int family, bool wildcard) {
  set_option_or_throw(s, sockopt("SO_TIMESTAMPNS"), 1);
  if (!wildcard) return;
  if (family == AF_INET6) set_option_or_throw(s, sockopt("IPV6_RECVPKTINFO"), 1);
  // On a dual-stack IPv6 socket, IPv4 datagrams report their destination through IP_PKTINFO.
  if (family == AF_INET || get_option_or_throw(s, sockopt("IPV6_V6ONLY")) == 0)
    set_option_or_throw(s, sockopt("IP_PKTINFO"), 1);
}

int DatagramBatch::receive(SocketHandle s) noexcept {
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
  const int n = s.recv_mmsg(std::span(in_.data(), slots_), MSG_DONTWAIT);
  received_ = n > 0 ? static_cast<std::size_t>(n) : 0;
  queued_ = 0;
  return n;
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
  int64_t ns = fallback_ns;
  ControlMessages(in_[i].msg_hdr).for_each([&](const Cmsg& c) {
    timespec ts{};
    if (read_timestamp(c, ts)) ns = static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
  });
  return ns;
}

std::span<std::byte> DatagramBatch::reply_buffer(std::size_t i) noexcept {
  return {&replies_[i * reply_capacity_], reply_capacity_};
}

// The request's destination address becomes the reply's source (IP_PKTINFO / IPV6_PKTINFO); the
// interface only for IPv6 link-local addresses, elsewhere routing picks it.
std::size_t DatagramBatch::build_reply_control(std::size_t i, std::span<std::byte> out) const noexcept {
  PacketInfo info;
  bool found = false;
  ControlMessages(in_[i].msg_hdr).for_each([&](const Cmsg& c) { found = found || read_pktinfo(c, info); });
  if (!found) return 0;
  const auto* v6 = reinterpret_cast<const sockaddr_in6*>(info.destination.get());
  if (info.destination.family() != AF_INET6 || !IN6_IS_ADDR_LINKLOCAL(&v6->sin6_addr)) info.ifindex = 0;
  ControlBuilder builder(out);
  return builder.add_pktinfo(info) ? builder.size() : 0;
}

void DatagramBatch::queue_reply(std::size_t i, std::size_t len) noexcept {
  std::size_t k = queued_++;
  out_iov_[k] = {&replies_[i * reply_capacity_], len};
  msghdr& h = out_[k].msg_hdr;
  h = {};
  h.msg_name = &sources_[i];
  h.msg_namelen = in_[i].msg_hdr.msg_namelen;
  h.msg_iov = &out_iov_[k];
  h.msg_iovlen = 1;
  std::byte* control = &reply_controls_[k * kReplyControlSize];
  std::size_t control_len = build_reply_control(i, {control, kReplyControlSize});
  h.msg_control = control_len ? control : nullptr;
  h.msg_controllen = control_len;
}

DatagramBatch::SendResult DatagramBatch::send_queued(SocketHandle s) noexcept {
  SendResult r;
  // A refused reply (EAGAIN: socket buffer full; EPERM: a firewall; …) is a lost datagram: skip it.
  r.sent = send_each(s, std::span(out_.data(), queued_), MSG_DONTWAIT, [&](std::size_t, int) noexcept {
    ++r.failed;
    return true;
  });
  queued_ = 0;
  return r;
}

}  // namespace nt::net
