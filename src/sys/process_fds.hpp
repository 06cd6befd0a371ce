// Another process's descriptors: pidfd_open(2) + pidfd_getfd(2) (Linux 5.6) give us a duplicate of
// one of its descriptors (the same open file description), /proc/PID/fd lists them. Both need
// ptrace access to the process (PTRACE_MODE_ATTACH_REALCREDS / _READ_FSCREDS): the same user and a
// yama ptrace_scope that allows it, or CAP_SYS_PTRACE. Refusals leave as PrivilegeError (exit 4)
// saying so; a process or descriptor that does not exist as UsageError (exit 2).
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "net/fd.hpp"

namespace nt::sys {

// Thin wrappers (glibc 2.36 has them, older ones do not): a descriptor or -errno. pidfd_getfd's
// descriptor is close-on-exec.
[[nodiscard]] int pidfd_open(pid_t pid, unsigned flags = 0) noexcept;
[[nodiscard]] int pidfd_getfd(int pidfd, int target_fd, unsigned flags = 0) noexcept;

// "needs ptrace access to process 123: run as its user (with kernel.yama.ptrace_scope 0 or 1 …) or
// grant CAP_SYS_PTRACE (setcap cap_sys_ptrace+ep nettool)".
std::string ptrace_hint(pid_t pid);

struct ProcessFd {
  int fd = -1;
  uint64_t socket_inode = 0;  // from the link socket:[INODE]; 0 for descriptors that are no socket
};

// The process's descriptors, in ascending order, from /proc/PID/fd (readlink of each).
std::vector<ProcessFd> process_fds(pid_t pid);

class ProcessHandle {
 public:
  // pidfd_open; throws UsageError for a pid that names no process.
  explicit ProcessHandle(pid_t pid);
  pid_t pid() const noexcept { return pid_; }
  // A duplicate of the process's descriptor `fd`. Throws PrivilegeError (EPERM) with ptrace_hint,
  // UsageError when the process has no such descriptor (EBADF), RuntimeError otherwise.
  net::UniqueFd take(int fd) const;
  // As take, but -errno instead of throwing (a descriptor closed since we listed it: -EBADF).
  [[nodiscard]] int try_take(int fd, net::UniqueFd& out) const noexcept;

 private:
  pid_t pid_;
  net::UniqueFd pidfd_;
};

}  // namespace nt::sys
