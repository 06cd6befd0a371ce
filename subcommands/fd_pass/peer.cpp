#include "subcommands/fd_pass/peer.hpp"

#include <fstream>
#include <string>

#include "net/fd_passing.hpp"
#include "sys/error.hpp"

namespace nt::fd_pass {

namespace {
// /proc/self/fdinfo/N of a pidfd has "Pid: P", and -1 once the process has exited (Linux 5.13+).
std::string pidfd_state(int pidfd) {
  std::ifstream info("/proc/self/fdinfo/" + std::to_string(pidfd));
  std::string line;
  while (std::getline(info, line)) {
    if (!line.starts_with("Pid:")) continue;
    const std::string pid = line.substr(line.find_first_not_of(" \t", 4));
    return pid == "-1" ? "exited" : "alive";
  }
  return "alive";
}
}  // namespace

PeerEvent identify_peer(int conn, const net::SocketAddress& addr) {
  PeerEvent peer;
  peer.socket = addr.to_string();
  ucred cred{};
  if (const int rc = net::peer_credentials(net::SocketHandle(conn), cred); rc != 0)
    throw std::system_error(-rc, std::generic_category(), "getsockopt SO_PEERCRED");
  peer.pid = cred.pid;
  peer.uid = cred.uid;
  peer.gid = cred.gid;
  const int pidfd = net::peer_pidfd(net::SocketHandle(conn));
  if (pidfd >= 0) {
    net::UniqueFd owned(pidfd);
    peer.pidfd = true;
    peer.pidfd_note = pidfd_state(pidfd);
  } else {
    peer.pidfd_note = pidfd == -ENOPROTOOPT ? "SO_PEERPIDFD needs Linux 6.5" : std::strerror(-pidfd);
  }
  return peer;
}

}  // namespace nt::fd_pass
