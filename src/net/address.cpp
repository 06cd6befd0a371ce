#include "net/address.hpp"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstring>

#include "sys/error.hpp"

namespace nt::net {

namespace {
const sockaddr_in& as_v4(const sockaddr_storage& s) {
  return reinterpret_cast<const sockaddr_in&>(s);
}
const sockaddr_in6& as_v6(const sockaddr_storage& s) {
  return reinterpret_cast<const sockaddr_in6&>(s);
}
const sockaddr_un& as_un(const sockaddr_storage& s) {
  return reinterpret_cast<const sockaddr_un&>(s);
}

constexpr std::size_t kMaxUnixPath = sizeof(sockaddr_un::sun_path) - 1;  // keep a terminating NUL

SocketAddress make_unix(std::string_view name, bool abstract) {
  if (name.size() > kMaxUnixPath) {
    throw UsageError(fmt::format("invalid address '{}{}': longer than {} bytes",
                                 abstract ? "@" : "unix:", name, kMaxUnixPath));
  }
  sockaddr_un un{};
  un.sun_family = AF_UNIX;
  std::size_t offset = abstract ? 1 : 0;  // abstract names start with a NUL byte
  std::memcpy(un.sun_path + offset, name.data(), name.size());
  auto len =
      static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + offset + name.size() + (abstract ? 0 : 1));
  return SocketAddress(reinterpret_cast<const sockaddr*>(&un), len);
}
}  // namespace

SocketAddress::SocketAddress() noexcept {
  storage_.ss_family = AF_UNSPEC;
}

SocketAddress::SocketAddress(const sockaddr* sa, socklen_t len) noexcept {
  len_ = std::min<socklen_t>(len, sizeof storage_);
  std::memcpy(&storage_, sa, len_);
}

SocketAddress SocketAddress::unix_path(std::string_view path) {
  return make_unix(path, false);
}
SocketAddress SocketAddress::abstract(std::string_view name) {
  return make_unix(name, true);
}

std::optional<SocketAddress> SocketAddress::from_ip(std::string_view host, uint16_t port) {
  std::string text(host);
  sockaddr_in v4{};
  if (::inet_pton(AF_INET, text.c_str(), &v4.sin_addr) == 1) {
    v4.sin_family = AF_INET;
    v4.sin_port = htons(port);
    return SocketAddress(reinterpret_cast<const sockaddr*>(&v4), sizeof v4);
  }
  sockaddr_in6 v6{};
  std::string scope;
  if (auto pct = text.find('%'); pct != std::string::npos) {
    scope = text.substr(pct + 1);
    text.resize(pct);
    if (scope.empty()) return std::nullopt;
  }
  if (::inet_pton(AF_INET6, text.c_str(), &v6.sin6_addr) != 1) return std::nullopt;
  v6.sin6_family = AF_INET6;
  v6.sin6_port = htons(port);
  if (!scope.empty()) {
    unsigned index = ::if_nametoindex(scope.c_str());
    if (index == 0) {
      // A numeric zone ("fe80::1%2") is the index itself; from_chars rejects overflow (stoul would
      // throw std::out_of_range, a confusing exit 3, for "%99999999999999999999").
      auto [end, ec] = std::from_chars(scope.data(), scope.data() + scope.size(), index);
      if (ec != std::errc() || end != scope.data() + scope.size()) index = 0;
    }
    if (index == 0) throw UsageError(fmt::format("invalid address '{}': no interface '{}'", host, scope));
    v6.sin6_scope_id = index;
  }
  return SocketAddress(reinterpret_cast<const sockaddr*>(&v6), sizeof v6);
}

SocketAddress SocketAddress::any(int family, uint16_t port) {
  return *from_ip(family == AF_INET6 ? "::" : "0.0.0.0", port);
}

bool SocketAddress::is_abstract() const noexcept {
  return is_unix() && len_ > offsetof(sockaddr_un, sun_path) && as_un(storage_).sun_path[0] == '\0';
}

uint16_t SocketAddress::port() const noexcept {
  if (family() == AF_INET) return ntohs(as_v4(storage_).sin_port);
  if (family() == AF_INET6) return ntohs(as_v6(storage_).sin6_port);
  return 0;
}

void SocketAddress::set_port(uint16_t port) noexcept {
  if (family() == AF_INET) reinterpret_cast<sockaddr_in&>(storage_).sin_port = htons(port);
  if (family() == AF_INET6) reinterpret_cast<sockaddr_in6&>(storage_).sin6_port = htons(port);
}

bool SocketAddress::is_v4_mapped() const noexcept {
  return family() == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&as_v6(storage_).sin6_addr);
}

bool SocketAddress::is_loopback() const noexcept {
  if (family() == AF_INET) return (ntohl(as_v4(storage_).sin_addr.s_addr) >> 24) == 127;
  if (family() == AF_INET6) {
    const auto& a = as_v6(storage_).sin6_addr;
    if (IN6_IS_ADDR_LOOPBACK(&a)) return true;
    return is_v4_mapped() && a.s6_addr[12] == 127;
  }
  return false;
}

std::string SocketAddress::host() const {
  char buf[INET6_ADDRSTRLEN + IF_NAMESIZE + 2] = {};
  if (family() == AF_INET) {
    ::inet_ntop(AF_INET, &as_v4(storage_).sin_addr, buf, sizeof buf);
    return buf;
  }
  if (family() == AF_INET6) {
    const auto& v6 = as_v6(storage_);
    if (is_v4_mapped()) {
      ::inet_ntop(AF_INET, &v6.sin6_addr.s6_addr[12], buf, sizeof buf);
      return buf;
    }
    ::inet_ntop(AF_INET6, &v6.sin6_addr, buf, sizeof buf);
    std::string out = buf;
    if (v6.sin6_scope_id != 0) {
      char name[IF_NAMESIZE] = {};
      out += '%';
      out += ::if_indextoname(v6.sin6_scope_id, name) ? name : std::to_string(v6.sin6_scope_id);
    }
    return out;
  }
  if (is_unix()) {
    std::size_t path_len =
        len_ > offsetof(sockaddr_un, sun_path) ? len_ - offsetof(sockaddr_un, sun_path) : 0;
    const char* path = as_un(storage_).sun_path;
    if (is_abstract()) return "@" + std::string(path + 1, path_len - 1);
    return std::string(path, strnlen(path, path_len));
  }
  return "(unspecified)";
}

std::string SocketAddress::to_string() const {
  if (family() == AF_INET6 && !is_v4_mapped()) return fmt::format("[{}]:{}", host(), port());
  if (is_inet()) return fmt::format("{}:{}", host(), port());
  if (is_abstract()) return host();
  if (is_unix()) return host().empty() ? "unix:(unnamed)" : "unix:" + host();
  return host();
}

bool operator==(const SocketAddress& a, const SocketAddress& b) noexcept {
  return a.len_ == b.len_ && std::memcmp(&a.storage_, &b.storage_, a.len_) == 0;
}

}  // namespace nt::net
