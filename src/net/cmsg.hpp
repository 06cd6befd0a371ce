// Ancillary data (cmsg(3)) read and written with every length checked: a walk over a received
// message's control buffer that stops at a header shorter than itself or running past the buffer,
// typed readers that refuse a payload shorter than their type, and a builder that refuses to
// overflow its buffer. No allocation: hot receive paths use these per packet.
#pragma once
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include <linux/errqueue.h>  // after <time.h>: it uses struct timespec without including it

#include <cstddef>
#include <cstring>
#include <ctime>
#include <optional>
#include <span>

#include "net/address.hpp"

namespace nt::net {

struct Cmsg {
  int level = 0;
  int type = 0;
  std::span<const std::byte> data;  // exactly cmsg_len − CMSG_LEN(0) bytes, all inside the buffer
};

// The control messages of `msg` (msg_control / msg_controllen as the kernel left them).
class ControlMessages {
 public:
  explicit ControlMessages(const msghdr& msg) noexcept
      : base_(static_cast<const std::byte*>(msg.msg_control)),
        size_(msg.msg_control ? msg.msg_controllen : 0),
        ctrunc_((msg.msg_flags & MSG_CTRUNC) != 0) {}
  ControlMessages(std::span<const std::byte> control) noexcept
      : base_(control.data()), size_(control.size()) {}

  // MSG_CTRUNC: the kernel had more control data than the buffer held (some was dropped; with
  // SCM_RIGHTS the descriptors that did not fit were closed by the kernel).
  bool truncated() const noexcept { return ctrunc_; }

  // Calls f(const Cmsg&) for each well-formed message; false if a malformed header ended the walk.
  template <typename F>
  bool for_each(F&& f) const noexcept(noexcept(f(Cmsg{}))) {
    std::size_t offset = 0;
    while (offset + sizeof(cmsghdr) <= size_) {
      cmsghdr h;
      std::memcpy(&h, base_ + offset, sizeof h);
      if (h.cmsg_len < CMSG_LEN(0) || h.cmsg_len > size_ - offset) return false;
      f(Cmsg{h.cmsg_level, h.cmsg_type, {base_ + offset + CMSG_LEN(0), h.cmsg_len - CMSG_LEN(0)}});
      offset += CMSG_ALIGN(h.cmsg_len);
    }
    return true;
  }

 private:
  const std::byte* base_;
  std::size_t size_;
  bool ctrunc_ = false;
};

// Copies a message's payload into `out` when it is at least sizeof(T) bytes.
template <typename T>
bool cmsg_read(const Cmsg& c, T& out) noexcept {
  if (c.data.size() < sizeof(T)) return false;
  std::memcpy(&out, c.data.data(), sizeof(T));
  return true;
}

// Inline: ping and the SNTP server read these per packet.
// SCM_TIMESTAMPNS or SCM_TIMESTAMP, as a timespec (CLOCK_REALTIME).
inline bool read_timestamp(const Cmsg& c, timespec& out) noexcept {
  if (c.level != SOL_SOCKET) return false;
  if (c.type == SCM_TIMESTAMPNS) return cmsg_read(c, out);
  timeval tv{};
  if (c.type != SCM_TIMESTAMP || !cmsg_read(c, tv)) return false;
  out = {tv.tv_sec, tv.tv_usec * 1000};
  return true;
}
// IP_TTL / IPV6_HOPLIMIT.
inline bool read_hop_limit(const Cmsg& c, int& ttl) noexcept {
  const bool ours =
      (c.level == IPPROTO_IP && c.type == IP_TTL) || (c.level == IPPROTO_IPV6 && c.type == IPV6_HOPLIMIT);
  return ours && cmsg_read(c, ttl);
}
bool read_traffic_class(const Cmsg& c, int& tos) noexcept;  // IP_TOS (one byte) / IPV6_TCLASS (int)

// Where a datagram was sent to (IP_PKTINFO / IPV6_PKTINFO): the address and the interface.
struct PacketInfo {
  SocketAddress destination;  // port 0
  int ifindex = 0;
};
bool read_pktinfo(const Cmsg& c, PacketInfo& out) noexcept;

// An IP_RECVERR / IPV6_RECVERR entry: sock_extended_err and the offender (SO_EE_OFFENDER) when the
// kernel names one (family 0 otherwise, e.g. for local errors).
struct ExtendedError {
  sock_extended_err ee{};
  SocketAddress offender;
};
bool read_extended_error(const Cmsg& c, ExtendedError& out) noexcept;

// SCM_RIGHTS: copies up to out.size() descriptors; returns how many the message carried (the caller
// owns and must close all of those it got; more than out.size() means the rest leaked: pass room).
std::size_t read_fds(const Cmsg& c, std::span<int> out) noexcept;
bool read_credentials(const Cmsg& c, ucred& out) noexcept;  // SCM_CREDENTIALS

// Writes control messages into a caller's buffer (aligned for cmsghdr). Each add returns false,
// leaving the buffer as it was, when the message does not fit.
class ControlBuilder {
 public:
  explicit ControlBuilder(std::span<std::byte> buffer) noexcept : buf_(buffer) {}
  bool add(int level, int type, std::span<const std::byte> data) noexcept;
  template <typename T>
  bool add_value(int level, int type, const T& v) noexcept {
    return add(level, type, std::as_bytes(std::span<const T, 1>(&v, 1)));
  }
  bool add_fds(std::span<const int> fds) noexcept { return add(SOL_SOCKET, SCM_RIGHTS, std::as_bytes(fds)); }
  bool add_credentials(const ucred& c) noexcept { return add_value(SOL_SOCKET, SCM_CREDENTIALS, c); }
  // The source address (and interface) a reply leaves from.
  bool add_pktinfo(const PacketInfo& info) noexcept;
  std::size_t size() const noexcept { return used_; }
  // Points msg at the built messages (or at none when empty).
  void attach(msghdr& msg) noexcept;

 private:
  std::span<std::byte> buf_;
  std::size_t used_ = 0;
};

}  // namespace nt::net
