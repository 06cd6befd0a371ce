#include "sys/fd_description.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <utility>

namespace nt::sys {

std::string_view kind_name(FdKind kind) noexcept {
  switch (kind) {
    case FdKind::socket:
      return "socket";
    case FdKind::file:
      return "file";
    case FdKind::directory:
      return "directory";
    case FdKind::pipe:
      return "pipe";
    case FdKind::fifo:
      return "fifo";
    case FdKind::char_device:
      return "char_device";
    case FdKind::block_device:
      return "block_device";
    case FdKind::eventfd:
      return "eventfd";
    case FdKind::signalfd:
      return "signalfd";
    case FdKind::timerfd:
      return "timerfd";
    case FdKind::pidfd:
      return "pidfd";
    case FdKind::epoll:
      return "epoll";
    case FdKind::inotify:
      return "inotify";
    case FdKind::anon_inode:
      return "anon_inode";
    case FdKind::other:
      break;
  }
  return "other";
}

namespace {
// Anonymous inodes have no file type in st_mode; their link names the kind: "anon_inode:[eventfd]",
// "anon_inode:inotify"; since Linux 6.9 pidfds live on pidfs and read "pidfd:[…]" (or anon_inode:[pidfd]).
FdKind classify_anonymous(std::string_view link) noexcept {
  if (link.starts_with("pidfd:")) return FdKind::pidfd;
  if (!link.starts_with("anon_inode:")) return FdKind::other;
  link.remove_prefix(11);
  if (link.starts_with('[') && link.ends_with(']')) link = link.substr(1, link.size() - 2);
  constexpr std::array<std::pair<std::string_view, FdKind>, 6> kNames{{
      {"eventfd", FdKind::eventfd},
      {"signalfd", FdKind::signalfd},
      {"timerfd", FdKind::timerfd},
      {"pidfd", FdKind::pidfd},
      {"eventpoll", FdKind::epoll},
      {"inotify", FdKind::inotify},
  }};
  for (const auto& [name, kind] : kNames)
    if (link == name) return kind;
  return FdKind::anon_inode;
}
}  // namespace

FdKind classify(mode_t mode, std::string_view link) noexcept {
  switch (mode & S_IFMT) {
    case S_IFSOCK:
      return FdKind::socket;
    case S_IFDIR:
      return FdKind::directory;
    case S_IFCHR:
      return FdKind::char_device;
    case S_IFBLK:
      return FdKind::block_device;
    case S_IFIFO:
      return link.starts_with("pipe:") ? FdKind::pipe : FdKind::fifo;
    case S_IFREG:
      // pidfs inodes are regular files to fstat (Linux 6.9+); anon inodes may be too.
      if (link.starts_with("pidfd:") || link.starts_with("anon_inode:")) return classify_anonymous(link);
      return FdKind::file;
    default:
      return classify_anonymous(link);
  }
}

std::string_view access_mode_name(int flags) noexcept {
  if (flags & O_PATH) return "path";
  switch (flags & O_ACCMODE) {
    case O_RDONLY:
      return "read";
    case O_WRONLY:
      return "write";
    default:
      return "read_write";
  }
}

std::vector<std::string> open_flag_names(int flags) {
  constexpr std::array<std::pair<int, std::string_view>, 7> kFlags{{
      {O_APPEND, "append"},
      {O_NONBLOCK, "nonblock"},
      {O_DIRECT, "direct"},
      {O_NOATIME, "noatime"},
      {O_SYNC, "sync"},  // O_SYNC includes O_DSYNC's bit: test it first
      {O_DSYNC, "dsync"},
      {O_ASYNC, "async"},
  }};
  std::vector<std::string> names;
  for (const auto& [bit, name] : kFlags) {
    if ((flags & bit) != bit) continue;
    if (bit == O_DSYNC && (flags & O_SYNC) == O_SYNC) continue;
    names.emplace_back(name);
  }
  return names;
}

bool fd_is_open(int fd) noexcept {
  return fd >= 0 && ::fcntl(fd, F_GETFD) >= 0;
}

std::optional<FdDescription> describe_fd(int fd) {
  struct stat st {};
  if (fd < 0 || ::fstat(fd, &st) != 0) return std::nullopt;
  FdDescription d;
  d.fd = fd;
  std::array<char, 4096> link{};
  const std::string proc = "/proc/self/fd/" + std::to_string(fd);
  const ssize_t n = ::readlink(proc.c_str(), link.data(), link.size() - 1);
  if (n > 0) d.path.assign(link.data(), static_cast<std::size_t>(n));
  d.kind = classify(st.st_mode, d.path);
  d.inode = st.st_ino;
  d.device = st.st_dev;
  d.mode = st.st_mode & 07777;
  if (d.kind == FdKind::file) d.size = st.st_size;
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) {
    d.access = access_mode_name(flags);
    d.flags = open_flag_names(flags);
  }
  d.cloexec = (::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0;
  return d;
}

}  // namespace nt::sys
