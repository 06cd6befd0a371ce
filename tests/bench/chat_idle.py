#!/usr/bin/env python3
"""Idle clients for tests/bench/chat-server.sh: opens CLIENTS connections to a chat server, joins each
under its own name, waits until the server is quiet and prints the server's RSS as one JSON object.

    chat_idle.py PORT SERVER_PID [--clients 10000]
"""
import argparse
import json
import resource
import selectors
import socket
import time


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def drain(socks, quiet_for):
    """Reads whatever the server still sends (welcomes, joins) until it goes quiet."""
    sel = selectors.DefaultSelector()
    for s in socks:
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
    deadline = time.monotonic() + 60
    while sel.get_map() and time.monotonic() < deadline:
        ready = sel.select(timeout=quiet_for)
        if not ready:
            break
        for key, _ in ready:
            if not key.fileobj.recv(1 << 20):
                sel.unregister(key.fileobj)
    sel.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("pid", type=int)
    ap.add_argument("--clients", type=int, default=10000)
    a = ap.parse_args()
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    socks = []
    for i in range(a.clients):
        s = socket.create_connection(("127.0.0.1", a.port), timeout=30)
        s.sendall(b'{"type":"join","name":"idle%d"}\n' % i)
        socks.append(s)
    drain(socks, quiet_for=1.0)
    print(json.dumps({"clients": a.clients, "server_rss_kib": rss_kib(a.pid)}))
    for s in socks:
        s.close()


if __name__ == "__main__":
    main()
