#include "sys/spawn.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "net/fd.hpp"
#include "net/socket_activation.hpp"
#include "sys/error.hpp"
#include "sys/signals.hpp"

extern char** environ;

namespace nt::sys {

namespace {
constexpr std::string_view kPidPrefix = "LISTEN_PID=";

bool is_listen_variable(std::string_view entry) {
  return entry.starts_with("LISTEN_PID=") || entry.starts_with("LISTEN_FDS=") ||
         entry.starts_with("LISTEN_FDNAMES=");
}

// A descriptor numbered at least `floor`, close-on-exec, so the child's dup2 onto 3… never lands on
// a descriptor it still has to copy from.
net::UniqueFd dup_above(int fd, int floor) {
  const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, floor);
  if (copy < 0) throw_errno(fmt::format("fcntl(F_DUPFD_CLOEXEC) of descriptor {}", fd));
  return net::UniqueFd(copy);
}

// Writes the decimal pid into `out` (room for 20 digits and NUL); no allocation after fork.
void format_pid(char* out, pid_t pid) noexcept {
  char digits[24];
  int n = 0;
  auto v = static_cast<unsigned long>(pid);
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0) *out++ = digits[--n];
  *out = '\0';
}

[[noreturn]] void run_child(const std::vector<net::UniqueFd>& high, char** argv, char** envp, char* pid_entry,
                            int error_pipe) noexcept {
  for (std::size_t i = 0; i < high.size(); ++i) {
    // dup2 clears close-on-exec on the new descriptor: exactly what the command should inherit.
    if (::dup2(high[i].get(), net::kListenFdsStart + static_cast<int>(i)) < 0) break;
  }
  if (pid_entry) format_pid(pid_entry + kPidPrefix.size(), ::getpid());
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::signal(SIGPIPE, SIG_DFL);
  ::execvpe(argv[0], argv, envp);
  const int err = errno;
  (void)!::write(error_pipe, &err, sizeof err);
  ::_exit(127);
}
}  // namespace

std::vector<std::string> child_environment(std::span<const std::string> parent_env, const SpawnRequest& req) {
  std::vector<std::string> env;
  for (const auto& e : parent_env)
    if (!is_listen_variable(e)) env.push_back(e);
  if (req.listen_env) {
    env.push_back(fmt::format("LISTEN_FDS={}", req.fds.size()));
    env.push_back("LISTEN_FDNAMES=" + net::join_fd_names(req.names));
  }
  return env;
}

pid_t spawn_with_fds(const SpawnRequest& req) {
  if (req.argv.empty()) throw UsageError("invalid --exec: no command");
  const int floor = net::kListenFdsStart + static_cast<int>(req.fds.size());
  std::vector<net::UniqueFd> high;
  for (int fd : req.fds) high.push_back(dup_above(fd, floor));
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw_errno("pipe2");
  net::UniqueFd read_end(pipe_fds[0]), write_raw(pipe_fds[1]);
  net::UniqueFd write_end = dup_above(write_raw.get(), floor);
  write_raw.reset();

  std::vector<std::string> parent_env;
  for (char** e = environ; *e; ++e) parent_env.emplace_back(*e);
  std::vector<std::string> env = child_environment(parent_env, req);
  if (req.listen_env) env.push_back(std::string(kPidPrefix) + std::string(24, '\0'));
  std::vector<char*> envp, argv;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = req.argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  char* pid_entry = req.listen_env ? env.back().data() : nullptr;

  const pid_t pid = ::fork();
  if (pid < 0) throw_errno("fork");
  if (pid == 0) run_child(high, argv.data(), envp.data(), pid_entry, write_end.get());
  write_end.reset();
  int err = 0;
  ssize_t n;
  do n = ::read(read_end.get(), &err, sizeof err);
  while (n < 0 && errno == EINTR);
  if (n == sizeof err) {
    (void)::waitpid(pid, nullptr, 0);
    throw UsageError(fmt::format("cannot run '{}': {}", req.argv[0], std::strerror(err)));
  }
  return pid;
}

int wait_forwarding_signals(pid_t pid) {
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  net::UniqueFd owned(pidfd);
  for (;;) {
    int status = 0;
    const pid_t done = ::waitpid(pid, &status, pidfd >= 0 ? WNOHANG : 0);
    if (done == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (done < 0 && errno != EINTR) throw_errno("waitpid");
    if (pidfd < 0) continue;
    pollfd p[2] = {{pidfd, POLLIN, 0}, {termination_signal_fd(), POLLIN, 0}};
    (void)::poll(p, p[1].fd >= 0 ? 2 : 1, -1);
    if (p[1].revents & POLLIN)
      if (const int signo = take_termination_signal(); signo != 0) (void)::kill(pid, signo);
  }
}

}  // namespace nt::sys
