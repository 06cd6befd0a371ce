#include "subcommands/fd_pass/describe.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "net/socket_description.hpp"
#include "net/socket_handle.hpp"
#include "sys/fd_description.hpp"

namespace nt::fd_pass {

namespace {
// The socket part, from the sockopt decoder's description (net/socket_description).
std::string describe_socket(int fd, output::Record& rec) {
  net::SocketDescription desc;
  if (net::describe_socket(net::SocketHandle(fd), desc) != 0) return "socket";
  desc.add_to(rec);
  return desc.summary();
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
  rec.set("access", d->access).set("flags", d->flags).set("cloexec", d->cloexec);
  return rec.with_text(fmt::format("#{} fd {} {}: {} {} ({}{}{})", info.index, info.fd, info.name,
                                   sys::kind_name(d->kind), what, d->access, d->flags.empty() ? "" : ", ",
                                   fmt::join(d->flags, ", ")));
}

}  // namespace nt::fd_pass
