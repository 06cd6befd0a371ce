"""Ground truth for portscan tests: TCP listeners (dual-stack) and UDP responders on given ports.

    python3 listeners.py --tcp 22,80 --udp 9999 [--banner 22]

Prints {"type": "ready"} once every socket is bound, then serves until killed. TCP connections get the
banner line (on --banner ports) and are closed; UDP datagrams are echoed (an empty one gets "pong").
"""
import argparse
import json
import selectors
import socket
import sys


def ports(text):
    return [int(p) for p in text.split(",") if p]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tcp", type=ports, default=[])
    ap.add_argument("--udp", type=ports, default=[])
    ap.add_argument("--banner", type=ports, default=[])
    args = ap.parse_args()
    sel = selectors.DefaultSelector()
    for port in args.tcp:
        s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("::", port))
        s.listen(1024)
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, ("tcp", port))
    for port in args.udp:
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        s.bind(("::", port))
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, ("udp", port))
    print(json.dumps({"type": "ready"}), flush=True)
    while True:
        for key, _ in sel.select():
            kind, port = key.data
            sock = key.fileobj
            try:
                if kind == "tcp":
                    conn, _ = sock.accept()
                    if port in args.banner:
                        conn.sendall(b"SSH-2.0-nettool-test\r\n")
                    conn.close()
                else:
                    data, peer = sock.recvfrom(2048)
                    sock.sendto(data or b"pong", peer)
            except OSError:
                pass


if __name__ == "__main__":
    sys.exit(main())
