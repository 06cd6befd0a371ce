"""The python3 baseline of tests/bench/sockopt.sh: every socket of process PID duplicated with
pidfd_getfd (syscall 438, via ctypes: the os module has no wrapper) and read with socket.getsockopt
for every option number of SOL_SOCKET, IPPROTO_IP, IPPROTO_IPV6, IPPROTO_TCP and IPPROTO_UDP that
nettool's table has (the same work as `nettool sockopt inspect --pid PID`), plus TCP_INFO.
Prints the number of sockets and of successful reads."""
import ctypes
import os
import socket
import sys

libc = ctypes.CDLL(None, use_errno=True)
SYS_PIDFD_GETFD = 438
LEVEL_OPTIONS = {socket.SOL_SOCKET: range(1, 80), socket.IPPROTO_IP: range(1, 53),
                 socket.IPPROTO_IPV6: range(1, 81), socket.IPPROTO_TCP: range(1, 38), socket.IPPROTO_UDP: range(1, 105)}


def main():
    pid = int(sys.argv[1])
    pidfd = os.pidfd_open(pid)
    sockets = reads = 0
    for name in os.listdir(f"/proc/{pid}/fd"):
        if not os.readlink(f"/proc/{pid}/fd/{name}").startswith("socket:"):
            continue
        fd = libc.syscall(SYS_PIDFD_GETFD, pidfd, int(name), 0)
        if fd < 0:
            continue
        s = socket.socket(fileno=fd)
        sockets += 1
        for level, options in LEVEL_OPTIONS.items():
            for opt in options:
                if level == socket.SOL_SOCKET and opt == socket.SO_ERROR:
                    continue  # reading it clears the owner's pending error
                try:
                    s.getsockopt(level, opt, 256)
                    reads += 1
                except OSError:
                    pass
        s.close()
    print(sockets, reads)


main()
