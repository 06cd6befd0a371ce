#include "sys/process_fds.hpp"

#include <dirent.h>
#include <fmt/format.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <string_view>

#include "sys/error.hpp"

namespace nt::sys {

namespace {
[[noreturn]] void throw_access(pid_t pid, std::string_view what, int err) {
  if (err == EPERM || err == EACCES)
    throw PrivilegeError(fmt::format("{}: {} — {}", what, std::strerror(err), ptrace_hint(pid)));
  if (err == ESRCH || err == ENOENT) throw UsageError(fmt::format("invalid --pid {}: no such process", pid));
  throw RuntimeError(fmt::format("{}: {}", what, std::strerror(err)));
}

uint64_t socket_inode(std::string_view link) {
  constexpr std::string_view prefix = "socket:[";
  if (link.substr(0, prefix.size()) != prefix || link.back() != ']') return 0;
  uint64_t inode = 0;
  const char* first = link.data() + prefix.size();
  std::from_chars(first, link.data() + link.size() - 1, inode);
  return inode;
}

class Dir {
 public:
  explicit Dir(DIR* d) noexcept : d_(d) {}
  Dir(const Dir&) = delete;
  Dir& operator=(const Dir&) = delete;
  ~Dir() {
    if (d_) ::closedir(d_);
  }
  DIR* get() const noexcept { return d_; }

 private:
  DIR* d_;
};
}  // namespace

int pidfd_open(pid_t pid, unsigned flags) noexcept {
  const long fd = ::syscall(SYS_pidfd_open, pid, flags);
  return fd >= 0 ? static_cast<int>(fd) : -errno;
}

int pidfd_getfd(int pidfd, int target_fd, unsigned flags) noexcept {
  const long fd = ::syscall(SYS_pidfd_getfd, pidfd, target_fd, flags);
  return fd >= 0 ? static_cast<int>(fd) : -errno;
}

std::string ptrace_hint(pid_t pid) {
  return fmt::format(
      "reading process {}'s sockets needs ptrace access to it: run as its user (kernel.yama.ptrace_scope "
      "0, or 1 for a descendant) or grant CAP_SYS_PTRACE (setcap cap_sys_ptrace+ep nettool, or run as root)",
      pid);
}

std::vector<ProcessFd> process_fds(pid_t pid) {
  const std::string dir_path = fmt::format("/proc/{}/fd", pid);
  Dir dir(::opendir(dir_path.c_str()));
  if (!dir.get()) throw_access(pid, fmt::format("listing {}", dir_path), errno);
  std::vector<ProcessFd> fds;
  while (const dirent* e = ::readdir(dir.get())) {
    int fd = -1;
    const std::string_view name = e->d_name;
    if (std::from_chars(name.data(), name.data() + name.size(), fd).ec != std::errc() || fd < 0) continue;
    std::array<char, 256> link{};
    const std::string path = dir_path + "/" + std::string(name);
    const ssize_t n = ::readlink(path.c_str(), link.data(), link.size() - 1);
    if (n < 0) continue;  // closed since the listing
    fds.push_back({fd, socket_inode(std::string_view(link.data(), static_cast<std::size_t>(n)))});
  }
  std::sort(fds.begin(), fds.end(), [](const ProcessFd& a, const ProcessFd& b) { return a.fd < b.fd; });
  return fds;
}

ProcessHandle::ProcessHandle(pid_t pid) : pid_(pid) {
  if (pid <= 0) throw UsageError(fmt::format("invalid --pid {}: expected a process id above 0", pid));
  const int fd = pidfd_open(pid);
  if (fd < 0) throw_access(pid, fmt::format("pidfd_open({})", pid), -fd);
  pidfd_.reset(fd);
}

int ProcessHandle::try_take(int fd, net::UniqueFd& out) const noexcept {
  const int got = pidfd_getfd(pidfd_.get(), fd);
  if (got < 0) return got;
  out.reset(got);
  return 0;
}

net::UniqueFd ProcessHandle::take(int fd) const {
  net::UniqueFd out;
  const int rc = try_take(fd, out);
  if (rc == -EBADF)
    throw UsageError(fmt::format("invalid --fd {}: process {} has no descriptor {}", fd, pid_, fd));
  if (rc < 0) throw_access(pid_, fmt::format("taking fd {} of process {} (pidfd_getfd)", fd, pid_), -rc);
  return out;
}

}  // namespace nt::sys
