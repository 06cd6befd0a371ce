// Capabilities: check before opening raw sockets, drop everything once they are open (DESIGN.md
// "Privileges"). Raw capget/capset(2) so we need no libcap. Capability sets belong to a thread: drop
// before starting threads (they inherit the emptied sets), or in the thread itself.
#pragma once

namespace nt::sys {

// True when the effective set holds the capability (e.g. CAP_NET_RAW from <linux/capability.h>).
bool has_capability(int cap) noexcept;

// Clears effective, permitted and inheritable sets and the ambient set. Idempotent. Throws on failure.
void drop_all_capabilities();

// What every subcommand calls once its privileged sockets are open, before its loop runs: drops every
// capability, sets PR_SET_NO_NEW_PRIVS (no execve can regain any), then reads both back. Throws
// RuntimeError (exit 3) if anything is still held.
void drop_privileges();

// Best effort, for helper threads that never need a capability (the output flusher).
void drop_thread_capabilities() noexcept;

// A setuid or setgid nettool (real and effective ids differ) is refused with PrivilegeError (exit 4):
// the whole program would run as root. File capabilities grant only what is needed.
void refuse_setuid();

}  // namespace nt::sys
