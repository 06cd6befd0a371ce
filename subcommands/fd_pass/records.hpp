// The records fd-pass emits (man page section OUTPUT): small structs, each with to_record().
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "output/record.hpp"

namespace nt::fd_pass {

struct ListeningEvent {
  std::string address;
  std::string what;  // "socket" (the unix socket of --listen) or "tcp" (a --tcp-listen socket to hand over)
  output::Record to_record() const;
};

// Who is on the other end (SO_PEERCRED; SO_PEERPIDFD when the kernel has it).
struct PeerEvent {
  std::string socket;
  pid_t pid = 0;
  uid_t uid = 0;
  gid_t gid = 0;
  bool pidfd = false;
  std::string pidfd_note;  // why there is none (older kernel), or the pidfd's view ("alive")
  output::Record to_record() const;
};

struct MessageEvent {
  std::string direction;  // sent, received
  std::size_t part = 1, parts = 1;
  std::size_t descriptors = 0;
  std::size_t bytes = 0;
  std::optional<pid_t> sender_pid;  // SCM_CREDENTIALS (received messages)
  std::optional<uid_t> sender_uid;
  std::optional<gid_t> sender_gid;
  output::Record to_record() const;
};

struct ExecEvent {
  pid_t pid = 0;
  std::vector<std::string> command;
  std::size_t listen_fds = 0;
  std::string listen_fdnames;
  output::Record to_record() const;
};

struct RefusedEvent {
  uid_t uid = 0;
  long long allowed_uid = 0;
  output::Record to_record() const;
};

struct Summary {
  std::string mode;  // send, recv
  std::size_t descriptors = 0;
  std::size_t messages = 0;
  pid_t peer_pid = 0;
  uid_t peer_uid = 0;
  double duration_s = 0;
  std::optional<int> exit_status;  // the --exec command's
  output::Record to_record() const;
};

}  // namespace nt::fd_pass
