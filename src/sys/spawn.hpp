// Starting a command with descriptors at 3, 4, … and systemd's socket-activation variables
// (sd_listen_fds(3)), the way systemd and systemd-socket-activate start a service: LISTEN_PID is the
// child's own pid, so it is written in the child between fork and exec.
#pragma once
#include <sys/types.h>

#include <span>
#include <string>
#include <vector>

namespace nt::sys {

struct SpawnRequest {
  std::vector<std::string> argv;   // argv[0] is looked up in PATH (execvp)
  std::vector<int> fds;            // placed at 3, 4, … in the child (open, no close-on-exec)
  std::vector<std::string> names;  // LISTEN_FDNAMES, one per fd
  bool listen_env = true;          // set LISTEN_FDS / LISTEN_PID / LISTEN_FDNAMES
};

// The environment the child gets: ours without any LISTEN_* variable, plus LISTEN_FDS and
// LISTEN_FDNAMES (LISTEN_PID is added in the child). Pure, for the unit tests.
std::vector<std::string> child_environment(std::span<const std::string> parent_env, const SpawnRequest& req);

// Forks and execs. The child gets the descriptors at 3…, its signal mask cleared and SIGPIPE back at
// its default (ours are blocked/ignored; both survive exec). Returns the child's pid once exec
// succeeded; throws UsageError("cannot run 'CMD': …") when it did not (not found, not executable).
pid_t spawn_with_fds(const SpawnRequest& req);

// Waits for `pid`, passing SIGINT/SIGTERM that arrive meanwhile on to it. The exit status as a shell
// reports it: the child's code, or 128 + the signal that killed it.
int wait_forwarding_signals(pid_t pid);

}  // namespace nt::sys
