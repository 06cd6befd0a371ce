#include "sys/privileges.hpp"

#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys/error.hpp"

namespace nt::sys {

namespace {
int capget_raw(__user_cap_header_struct* h, __user_cap_data_struct* d) {
  return static_cast<int>(::syscall(SYS_capget, h, d));
}
int capset_raw(__user_cap_header_struct* h, const __user_cap_data_struct* d) {
  return static_cast<int>(::syscall(SYS_capset, h, d));
}

int clear_capabilities() noexcept {
  // Ambient caps would survive an execve; clear them first (EINVAL on kernels without them is fine).
  (void)::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  return capset_raw(&header, data);
}

bool holds_any_capability() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  if (capget_raw(&header, data) != 0) throw_errno("reading back capabilities");
  for (const auto& word : data) {
    if (word.effective || word.permitted || word.inheritable) return true;
  }
  return false;
}
}  // namespace

bool has_capability(int cap) noexcept {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  if (capget_raw(&header, data) != 0) return false;
  int word = cap / 32;
  unsigned bit = 1u << (cap % 32);
  return word < 2 && (data[word].effective & bit) != 0;
}

void drop_all_capabilities() {
  if (clear_capabilities() != 0) throw_errno("dropping capabilities");
}

void drop_thread_capabilities() noexcept {
  (void)clear_capabilities();
}

void drop_privileges() {
  drop_all_capabilities();
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) throw_errno("setting no_new_privs");
  if (holds_any_capability()) throw RuntimeError("capabilities are still held after dropping them");
  if (::prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1) throw RuntimeError("no_new_privs did not stick");
}

void refuse_setuid() {
  if (::getuid() == ::geteuid() && ::getgid() == ::getegid()) return;
  throw PrivilegeError(
      "refusing to run setuid/setgid: remove the bit (chmod u-s,g-s nettool) and grant only the "
      "capability instead (setcap cap_net_raw+ep nettool)");
}

}  // namespace nt::sys
