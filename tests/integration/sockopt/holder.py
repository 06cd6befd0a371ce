"""A process holding sockets for `sockopt inspect --pid` tests, written with Python's own socket module
(an independent reader of the same options).

Opens a TCP listener on 127.0.0.1 with a connected pair through it (data sent both ways), a tcp6
socket, a UDP socket and a unix socketpair, sets a few options on them, and prints one JSON line:
{"pid", "fds": {"listener", "client", "server", "tcp6", "udp", "unix"}, "port", "readings": {...}}
where readings are its own getsockopt answers. Then waits until stdin closes (at most 120 s).
With --many N it also opens N extra connected TCP pairs (the benchmark's load).
"""
import json
import os
import socket
import struct
import sys


def readings(s, family):
    r = {
        "rcvbuf_bytes": s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF),
        "sndbuf_bytes": s.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF),
        "keepalive": bool(s.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE)),
        "priority": s.getsockopt(socket.SOL_SOCKET, socket.SO_PRIORITY),
        "mark": s.getsockopt(socket.SOL_SOCKET, socket.SO_MARK),
        "cookie": struct.unpack("=Q", s.getsockopt(socket.SOL_SOCKET, 57, 8))[0],  # SO_COOKIE
    }
    if family == socket.AF_INET:
        r["tos"] = s.getsockopt(socket.IPPROTO_IP, socket.IP_TOS)
        r["ttl"] = s.getsockopt(socket.IPPROTO_IP, socket.IP_TTL)
    if s.type == socket.SOCK_STREAM and family != socket.AF_UNIX:
        r["nodelay"] = bool(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        r["keepidle_s"] = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE)
        r["keepintvl_s"] = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL)
        r["user_timeout_ms"] = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT)
        r["congestion"] = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, 16).rstrip(b"\0").decode()
        r["maxseg_bytes"] = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG)
    onoff, secs = struct.unpack("ii", s.getsockopt(socket.SOL_SOCKET, socket.SO_LINGER, 8))
    r["linger_on"], r["linger_s"] = bool(onoff), secs
    return r


def main():
    many = int(sys.argv[sys.argv.index("--many") + 1]) if "--many" in sys.argv else 0
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(max(16, many))
    port = listener.getsockname()[1]
    client = socket.socket()
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 98304)
    client.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    client.setsockopt(socket.SOL_SOCKET, socket.SO_PRIORITY, 3)
    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 7))
    client.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, 0x10)
    client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    client.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 33)
    client.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, 4500)
    client.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, b"reno")
    client.connect(("127.0.0.1", port))
    server, _ = listener.accept()
    server.setblocking(False)  # O_NONBLOCK: fdinfo's flags show it
    for _ in range(20):  # some round trips, so rtt and cwnd are measured
        client.sendall(b"x" * 1000)
        got = 0
        while got < 1000:
            try:
                got += len(server.recv(65536))
            except BlockingIOError:
                pass
        server.sendall(b"y" * 1000)
        got = 0
        while got < 1000:
            got += len(client.recv(65536))
    tcp6 = socket.socket(socket.AF_INET6)
    tcp6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.setsockopt(socket.IPPROTO_IP, 10, 2)  # IP_MTU_DISCOVER = IP_PMTUDISC_DO
    udp.bind(("127.0.0.1", 0))
    unix_a, unix_b = socket.socketpair()
    extra = []
    for _ in range(many):
        c = socket.create_connection(("127.0.0.1", port))
        s, _ = listener.accept()
        extra += [c, s]
    out = {
        "pid": os.getpid(),
        "port": port,
        "fds": {"listener": listener.fileno(), "client": client.fileno(), "server": server.fileno(),
                "tcp6": tcp6.fileno(), "udp": udp.fileno(), "unix": unix_a.fileno()},
        "readings": {"client": readings(client, socket.AF_INET), "server": readings(server, socket.AF_INET),
                     "udp": readings(udp, socket.AF_INET), "unix": readings(unix_a, socket.AF_UNIX)},
        "udp_address": "%s:%d" % udp.getsockname(),
        "client_address": "%s:%d" % client.getsockname(),
        "v6only": bool(tcp6.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY)),
    }
    print(json.dumps(out), flush=True)
    import select
    select.select([sys.stdin], [], [], 120)


main()
