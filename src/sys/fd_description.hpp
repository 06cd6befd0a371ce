// What an open descriptor is, from fstat(2), /proc/self/fd (readlink) and fcntl(2): its kind (socket,
// regular file, directory, pipe, FIFO, device, eventfd, signalfd, timerfd, pidfd, …), path, inode,
// permission bits and open flags. The socket part (family, addresses, listening) is net's business.
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nt::sys {

enum class FdKind {
  socket,
  file,
  directory,
  pipe,  // anonymous: readlink says "pipe:[inode]"
  fifo,  // named pipe with a path
  char_device,
  block_device,
  eventfd,
  signalfd,
  timerfd,
  pidfd,
  epoll,
  inotify,
  anon_inode,  // another anonymous inode (io_uring, userfaultfd, …)
  other,
};

std::string_view kind_name(FdKind kind) noexcept;

// The kind from fstat's st_mode and the /proc/self/fd link text (anon_inode:[eventfd], pidfd:[…]).
FdKind classify(mode_t mode, std::string_view link) noexcept;

// O_RDONLY → "read", O_WRONLY → "write", O_RDWR → "read_write" (O_PATH → "path").
std::string_view access_mode_name(int flags) noexcept;
// The status flags set besides the access mode: "append", "nonblock", "direct", "sync", …
std::vector<std::string> open_flag_names(int flags);

struct FdDescription {
  int fd = -1;
  FdKind kind = FdKind::other;
  std::string path;  // the /proc/self/fd link: a path, "pipe:[123]", "socket:[456]", "anon_inode:[eventfd]"
  uint64_t inode = 0;
  uint64_t device = 0;  // st_dev
  unsigned mode = 0;    // permission bits (st_mode & 07777)
  int64_t size = -1;    // bytes, for regular files; -1 otherwise
  std::string access;   // access_mode_name
  std::vector<std::string> flags;
  bool cloexec = false;
};

// Describes `fd`; nullopt when it is not open (EBADF).
std::optional<FdDescription> describe_fd(int fd);

// fcntl(F_GETFD) succeeds.
bool fd_is_open(int fd) noexcept;

}  // namespace nt::sys
