#include "net/socket_description.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <system_error>

namespace nt::net {

namespace {
// The name, or the number when the table has none (a family we have no name for still shows).
output::Json name_or_number(std::string_view name, int value) {
  if (name.empty()) return value;
  return std::string(name);
}

std::string name_or_number_text(std::string_view name, int value) {
  return name.empty() ? std::to_string(value) : std::string(name);
}
}  // namespace

std::string_view SocketDescription::family_name() const noexcept {
  return value_name(sockopt("SO_DOMAIN"), family);
}

std::string_view SocketDescription::type_name() const noexcept {
  return value_name(sockopt("SO_TYPE"), type);
}

std::string_view SocketDescription::protocol_name() const noexcept {
  if (protocol == 0) return {};  // the family's default (unix sockets have no other)
  return value_name(sockopt("SO_PROTOCOL"), protocol);
}

std::string SocketDescription::kind() const {
  const std::string_view proto = protocol_name();
  if ((family == AF_INET || family == AF_INET6) && !proto.empty()) {
    const bool raw = type == SOCK_RAW;
    std::string k = raw ? "raw" : std::string(proto);
    if (family == AF_INET6) k += "6";
    return k;
  }
  return fmt::format("{}-{}", name_or_number_text(family_name(), family),
                     name_or_number_text(type_name(), type));
}

output::Json SocketDescription::to_json() const {
  output::Json j = output::Json::object();
  j["family"] = name_or_number(family_name(), family);
  j["socket_type"] = name_or_number(type_name(), type);
  j["protocol"] = name_or_number(protocol_name(), protocol);
  j["local_address"] = local ? output::Json(local->to_string()) : output::Json(nullptr);
  j["peer_address"] = peer ? output::Json(peer->to_string()) : output::Json(nullptr);
  j["listening"] = listening;
  j["inode"] = inode;
  j["nonblocking"] = nonblocking;
  return j;
}

void SocketDescription::add_to(output::Record& rec) const {
  const output::Json fields = to_json();
  for (auto it = fields.begin(); it != fields.end(); ++it) rec.data[it.key()] = it.value();
}

std::string SocketDescription::summary() const {
  std::string s = kind();
  s += ' ';
  s += local ? local->to_string() : "(no local address)";
  if (peer) s += " -> " + peer->to_string();
  if (listening) s += " listening";
  return s;
}

int describe_socket(SocketHandle s, SocketDescription& out) noexcept {
  struct stat st {};
  if (::fstat(s.fd(), &st) != 0) return -errno;
  if (!S_ISSOCK(st.st_mode)) return -ENOTSOCK;
  out = SocketDescription{};
  out.inode = st.st_ino;
  if (const int rc = s.get_int(sockopt("SO_DOMAIN"), out.family); rc != 0) return rc;
  if (const int rc = s.get_int(sockopt("SO_TYPE"), out.type); rc != 0) return rc;
  if (const int rc = s.get_int(sockopt("SO_PROTOCOL"), out.protocol); rc != 0) return rc;
  int accepting = 0;
  if (s.get_int(sockopt("SO_ACCEPTCONN"), accepting) == 0) out.listening = accepting != 0;
  SocketAddress addr;
  if (s.local_address(addr) == 0) out.local = addr;
  if (s.peer_address(addr) == 0) out.peer = addr;
  const int flags = ::fcntl(s.fd(), F_GETFL);
  out.nonblocking = flags >= 0 && (flags & O_NONBLOCK) != 0;
  return 0;
}

SocketDescription describe_socket(SocketHandle s) {
  SocketDescription d;
  if (const int rc = describe_socket(s, d); rc != 0)
    throw std::system_error(-rc, std::generic_category(), fmt::format("describing fd {}", s.fd()));
  return d;
}

}  // namespace nt::net
