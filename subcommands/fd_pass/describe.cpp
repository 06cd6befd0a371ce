#include "subcommands/fd_pass/describe.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "net/socket_handle.hpp"
#include "sys/fd_description.hpp"

namespace nt::fd_pass {

namespace {
// The socket part. Placeholder until net/socket_description (the sockopt helper's) is merged.
std::string describe_socket(int fd, output::Record& rec) {
  net::SocketHandle s(fd);
  int family = 0, type = 0, protocol = 0, listening = 0;
  (void)s.get_int(net::sockopt("SO_DOMAIN"), family);
  (void)s.get_int(net::sockopt("SO_TYPE"), type);
  (void)s.get_int(net::sockopt("SO_PROTOCOL"), protocol);
  (void)s.get_int(net::sockopt("SO_ACCEPTCONN"), listening);
  const std::string_view family_name = net::value_name(net::sockopt("SO_DOMAIN"), family);
  const std::string_view type_name = net::value_name(net::sockopt("SO_TYPE"), type);
  const std::string_view protocol_name = net::value_name(net::sockopt("SO_PROTOCOL"), protocol);
  rec.set("family", family_name).set("socket_type", type_name).set("protocol", protocol_name);
  std::string text = fmt::format("{} {}", family_name, type_name);
  net::SocketAddress local, peer;
  if (s.local_address(local) == 0 && local.size() > sizeof(sa_family_t)) {
    rec.set("local", local.to_string());
    text += fmt::format(" {}", local);
  }
  if (s.peer_address(peer) == 0 && peer.size() > sizeof(sa_family_t)) {
    rec.set("peer", peer.to_string());
    text += fmt::format(" → {}", peer);
  }
  rec.set("listening", listening != 0);
  if (listening) text += " listening";
  return text;
}

std::string describe_other(const sys::FdDescription& d, output::Record& rec) {
  rec.set("path", d.path).set("inode", d.inode).set("mode", d.mode);
  std::string text = fmt::format("{} inode {} mode {:04o}", d.path, d.inode, d.mode);
  if (d.size >= 0) {
    rec.set("size_bytes", d.size);
    text += fmt::format(" {} bytes", d.size);
  }
  return text;
}
}  // namespace

output::Record describe_descriptor(const DescriptorInfo& info) {
  output::Record rec("descriptor");
  rec.set("direction", info.direction).set("index", info.index).set("fd", info.fd).set("name", info.name);
  const auto d = sys::describe_fd(info.fd);
  if (!d) {
    rec.set("kind", "closed");
    return rec.with_text(fmt::format("#{} fd {} {}: not open", info.index, info.fd, info.name));
  }
  rec.set("kind", sys::kind_name(d->kind));
  std::string what = d->kind == sys::FdKind::socket ? describe_socket(info.fd, rec) : describe_other(*d, rec);
  if (d->kind == sys::FdKind::socket) rec.set("inode", d->inode);
  rec.set("access", d->access).set("flags", d->flags).set("cloexec", d->cloexec);
  return rec.with_text(fmt::format("#{} fd {} {}: {} {} ({}{}{})", info.index, info.fd, info.name,
                                   sys::kind_name(d->kind), what, d->access, d->flags.empty() ? "" : ", ",
                                   fmt::join(d->flags, ", ")));
}

}  // namespace nt::fd_pass
