// A socket address of any family we speak (IPv4, IPv6 with scope id, Unix path, Linux abstract),
// as a value type that formats itself: 1.2.3.4:80, [::1]:80, [fe80::1%eth0]:80, unix:/p, @name.
// IPv4-mapped IPv6 addresses format as IPv4.
#pragma once
#include <fmt/format.h>
#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nt::net {

class SocketAddress {
 public:
  SocketAddress() noexcept;
  SocketAddress(const sockaddr* sa, socklen_t len) noexcept;

  static SocketAddress unix_path(std::string_view path);  // throws UsageError if too long
  static SocketAddress abstract(std::string_view name);   // throws UsageError if too long
  // Parses a numeric IPv4 or IPv6 literal (IPv6 may carry %scope); nullopt if it is not one.
  static std::optional<SocketAddress> from_ip(std::string_view host, uint16_t port = 0);
  // The wildcard address of a family (AF_INET or AF_INET6).
  static SocketAddress any(int family, uint16_t port = 0);

  int family() const noexcept { return storage_.ss_family; }
  bool is_inet() const noexcept { return family() == AF_INET || family() == AF_INET6; }
  bool is_unix() const noexcept { return family() == AF_UNIX; }
  bool is_abstract() const noexcept;
  uint16_t port() const noexcept;  // 0 for non-inet
  void set_port(uint16_t port) noexcept;
  bool is_loopback() const noexcept;
  bool is_v4_mapped() const noexcept;

  // The host part only: 1.2.3.4, ::1, fe80::1%eth0, /path, @name (no brackets, no port).
  std::string host() const;
  // The full form described above.
  std::string to_string() const;

  const sockaddr* get() const noexcept { return reinterpret_cast<const sockaddr*>(&storage_); }
  sockaddr* get_mut() noexcept { return reinterpret_cast<sockaddr*>(&storage_); }
  socklen_t size() const noexcept { return len_; }
  void set_size(socklen_t len) noexcept { len_ = len; }
  static constexpr socklen_t capacity() noexcept { return sizeof(sockaddr_storage); }

  friend bool operator==(const SocketAddress& a, const SocketAddress& b) noexcept;

 private:
  sockaddr_storage storage_{};
  socklen_t len_ = 0;
};

}  // namespace nt::net

template <>
struct fmt::formatter<nt::net::SocketAddress> : fmt::formatter<std::string_view> {
  template <typename Ctx>
  auto format(const nt::net::SocketAddress& a, Ctx& ctx) const {
    return fmt::formatter<std::string_view>::format(a.to_string(), ctx);
  }
};
