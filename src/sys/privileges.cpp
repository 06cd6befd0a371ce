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
  // Ambient caps would survive an execve; clear them first (EINVAL on kernels without them is fine).
  (void)::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  if (capset_raw(&header, data) != 0) throw_errno("dropping capabilities");
}

}  // namespace nt::sys
