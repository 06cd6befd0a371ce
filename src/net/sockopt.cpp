#include "net/sockopt.hpp"

#include <netinet/in.h>

#include <cctype>
#include <string>

namespace nt::net {

namespace {
std::string_view without_prefix(std::string_view name) {
  for (std::string_view p : {"SO_", "IPV6_", "IP_", "TCP_", "UDP_"})
    if (name.substr(0, p.size()) == p) return name.substr(p.size());
  return name;  // MCAST_*: the prefix says what it is
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

int family_bit(int family) {
  switch (family) {
    case AF_INET:
      return kIPv4;
    case AF_INET6:
      return kIPv6;
    case AF_UNIX:
      return kUnix;
    default:
      return 0;
  }
}

int type_bit(int type) {
  switch (type) {
    case SOCK_STREAM:
      return kStream;
    case SOCK_DGRAM:
      return kDgram;
    case SOCK_RAW:
      return kRaw;
    case SOCK_SEQPACKET:
      return kSeqpacket;
    default:
      return 0;
  }
}
}  // namespace

std::string_view unit_suffix(Unit u) noexcept {
  switch (u) {
    case Unit::bytes:
      return "_bytes";
    case Unit::seconds:
      return "_s";
    case Unit::milliseconds:
      return "_ms";
    case Unit::microseconds:
      return "_us";
    case Unit::bytes_per_second:
      return "_bytes_per_s";
    case Unit::count:
    case Unit::hops:
    case Unit::none:
      return "";
  }
  return "";
}

std::string json_key(const SocketOption& o) {
  std::string key;
  // The level is part of the key where two levels share a name (IP_TTL vs IPV6_*; IP_MTU vs IPV6_MTU).
  if (o.level == IPPROTO_IPV6) key = "ipv6_";
  for (char c : without_prefix(o.name)) key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  key += unit_suffix(o.unit);
  return key;
}

std::string_view value_name(const SocketOption& o, int value) noexcept {
  for (const auto& v : o.values)
    if (v.value == value) return v.name;
  return {};
}

bool applies_to(const SocketOption& o, int family, int type) noexcept {
  return (o.families & family_bit(family)) != 0 && (o.types & type_bit(type)) != 0;
}

std::string_view level_name(int level) noexcept {
  switch (level) {
    case SOL_SOCKET:
      return "SOL_SOCKET";
    case IPPROTO_IP:
      return "IPPROTO_IP";
    case IPPROTO_IPV6:
      return "IPPROTO_IPV6";
    case IPPROTO_TCP:
      return "IPPROTO_TCP";
    case IPPROTO_UDP:
      return "IPPROTO_UDP";
    default:
      return "?";
  }
}

const SocketOption* find_socket_option(std::string_view name) noexcept {
  for (const auto& o : socket_options())
    if (equal_ignoring_case(o.name, name) || json_key(o) == name) return &o;
  return nullptr;
}

const SocketOption* find_socket_option(int level, int option) noexcept {
  for (const auto& o : socket_options())
    if (o.level == level && o.option == option) return &o;
  return nullptr;
}

}  // namespace nt::net
