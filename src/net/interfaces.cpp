#include "net/interfaces.hpp"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <charconv>
#include <memory>

#include "sys/error.hpp"

namespace nt::net {

namespace {
using IfAddrs = std::unique_ptr<ifaddrs, decltype(&::freeifaddrs)>;

IfAddrs list_interfaces() {
  ifaddrs* head = nullptr;
  if (::getifaddrs(&head) != 0) throw_errno("listing network interfaces (getifaddrs)");
  return {head, &::freeifaddrs};
}

// The first entry getifaddrs lists for `name` carries the interface's flags (every entry of one
// interface has the same ifa_flags).
template <typename Match>
std::optional<Interface> find_interface(Match&& match) {
  IfAddrs all = list_interfaces();
  for (const ifaddrs* a = all.get(); a != nullptr; a = a->ifa_next) {
    if (a->ifa_name == nullptr || !match(*a)) continue;
    const unsigned index = ::if_nametoindex(a->ifa_name);
    if (index == 0) continue;  // vanished between the two calls
    return Interface{static_cast<int>(index), a->ifa_name, a->ifa_flags};
  }
  return std::nullopt;
}
}  // namespace

std::optional<Interface> interface_by_name(std::string_view name) {
  return find_interface([&](const ifaddrs& a) { return name == a.ifa_name; });
}

std::optional<Interface> interface_by_index(int index) {
  char name[IF_NAMESIZE] = {};
  if (index <= 0 || ::if_indextoname(static_cast<unsigned>(index), name) == nullptr) return std::nullopt;
  return interface_by_name(name);
}

std::optional<Interface> interface_by_address(const IpAddress& addr) {
  return find_interface([&](const ifaddrs& a) {
    const sockaddr* sa = a.ifa_addr;
    if (sa == nullptr || (sa->sa_family != AF_INET && sa->sa_family != AF_INET6)) return false;
    IpAddress mine = IpAddress::from_sockaddr(sa);
    return mine.family == addr.family && mine.bytes == addr.bytes;
  });
}

Interface parse_interface(std::string_view text) {
  std::optional<Interface> found;
  int index = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), index);
  if (!text.empty() && ec == std::errc() && end == text.data() + text.size()) {
    found = interface_by_index(index);
  } else if (auto ip = IpAddress::parse(text)) {
    found = interface_by_address(*ip);
  } else if (!text.empty() && text.size() < IF_NAMESIZE) {
    found = interface_by_name(text);
  }
  if (!found) {
    throw UsageError(
        fmt::format("invalid --iface '{}': no such interface (a name, an index or an "
                    "address of this host; see ip link)",
                    text));
  }
  return *found;
}

}  // namespace nt::net
