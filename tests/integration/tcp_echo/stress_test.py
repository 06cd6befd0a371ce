"""tcp-echo server under abuse (the core stream server's guarantees): a 10,000-connection accept storm,
a client that never reads while others are echoed, a client that takes its echo a byte at a time, and
descriptor exhaustion with several event loops (ulimit -n 64, --threads 2). Loopback only."""
import os
import selectors
import socket
import threading
import time

from echo_util import RecordPump, echo_server, raise_nofile, rss_kib
from ntlib import NETTOOL, Process, jsonl, of_type, split_hostport, test, run_tests


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def round_trip(sock, payload=b"still serving"):
    sock.sendall(payload)
    got = b""
    while len(got) < len(payload):
        data = sock.recv(4096)
        assert data, "server closed a connection it should keep serving"
        got += data
    assert got == payload, got


def open_many(host, port, n):
    """n non-blocking connects at once (an accept storm); returns the sockets once all are connected."""
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex((host, port))
        socks.append(s)
    sel = selectors.DefaultSelector()
    for s in socks:
        sel.register(s, selectors.EVENT_WRITE)
    pending, deadline = len(socks), time.monotonic() + 60
    while pending and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=1):
            sel.unregister(key.fileobj)
            pending -= 1
    sel.close()
    assert pending == 0, f"{pending} of {n} connects did not finish"
    return socks


@test
def accept_storm_of_ten_thousand_connections():
    raise_nofile(10_000 + 512)
    with echo_server("--max-clients", 20000) as (server, host, port):
        before = rss_kib(server.pid)
        probe = socket.create_connection((host, port), timeout=10)
        socks = []
        stop = threading.Event()
        echoed = []

        def keep_echoing():
            while not stop.is_set():
                round_trip(probe)
                echoed.append(1)
                time.sleep(0.01)

        pinger = threading.Thread(target=keep_echoing)
        pinger.start()
        try:
            socks = open_many(host, port, 10_000)
            for s in socks[::1000]:  # a sample of the storm is served too
                s.setblocking(True)
                s.settimeout(10)
                round_trip(s, b"storm")
            grown = rss_kib(server.pid) - before
        finally:
            stop.set()
            pinger.join()
            for s in socks:
                s.close()
        assert echoed, "the established client was starved during the storm"
        assert grown < 64 * 1024, f"server RSS grew by {grown} KiB with 10,000 connections"
        round_trip(probe)
        probe.close()
        code, out, _ = server.finish()
        assert code == 0
        summary = of_type(jsonl(out), "summary")[0]
        assert summary["connections"] == 10_001 and summary["refused"] == 0, summary


def flood_without_reading(sock, seconds=1.5):
    """Sends until the server stops reading (backpressure) for `seconds`; returns bytes sent."""
    sock.setblocking(False)
    chunk, sent, stalled_since = b"x" * 65536, 0, None
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            sent += sock.send(chunk)
            stalled_since = None
        except BlockingIOError:
            stalled_since = stalled_since or time.monotonic()
            if time.monotonic() - stalled_since > seconds:
                break
            time.sleep(0.01)
    return sent


@test
def never_reading_client_does_not_hurt_the_others():
    with echo_server() as (server, host, port):
        pump = server
        before = rss_kib(pump.pid)
        hog = socket.create_connection((host, port))
        sent = flood_without_reading(hog)
        assert sent < 512 << 20, "the server kept reading from a client that never reads"
        others = [socket.create_connection((host, port), timeout=10) for _ in range(20)]
        for i in range(50):
            for j, s in enumerate(others):
                round_trip(s, f"message {i} from {j}".encode())
        grown = rss_kib(pump.pid) - before
        assert grown < 16 * 1024, f"server RSS grew by {grown} KiB"
        for s in others:
            s.close()
        hog.close()


@test
def a_client_taking_its_echo_a_byte_at_a_time_is_closed_after_the_idle_timeout():
    # Progress is "the queued echo was all taken" or "input was read": one byte now and then is neither.
    with echo_server("--idle-timeout", 2) as (server, host, port):
        slow = socket.create_connection((host, port))
        slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        flood_without_reading(slow, seconds=1.0)
        stop = threading.Event()

        def trickle():  # takes one byte of its echo every 0.2 s until told to stop or closed
            slow.setblocking(True)
            slow.settimeout(1)
            while not stop.is_set():
                try:
                    if not slow.recv(1):
                        return
                except (socket.timeout, OSError):
                    return
                time.sleep(0.2)

        reader = threading.Thread(target=trickle)
        reader.start()
        start = time.monotonic()
        try:
            rec = server.wait_for("closed", timeout=15)
        finally:
            stop.set()
            reader.join()
        assert rec["reason"] == "idle_timeout", rec
        assert time.monotonic() - start < 10, "closed, but long after the idle timeout"
        slow.close()


@test
def descriptor_exhaustion_with_two_loops_keeps_cpu_low_and_keeps_serving():
    cmd = ["prlimit", "--nofile=64:64", NETTOOL, "tcp-echo", "server", "--listen", "127.0.0.1:0",
           "--threads", "2", "--jsonl"]
    proc = Process(raw_cmd=cmd)
    try:
        host, port = split_hostport(proc.wait_for("listening")["address"])
        pump = RecordPump(proc)
        held = [socket.create_connection((host, port), timeout=10) for _ in range(30)]
        for s in held[:3]:
            round_trip(s)
        # More clients than descriptors: some are refused (fd_limit), some wait in the backlog.
        extra = []
        for _ in range(150):
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex((host, port))
            extra.append(s)
        time.sleep(1.0)
        cpu0 = cpu_seconds(proc.pid)
        time.sleep(3.0)
        used = cpu_seconds(proc.pid) - cpu0
        assert used < 0.6, f"server used {used:.2f} s of CPU in 3 s while out of descriptors"
        for s in held[:3]:
            round_trip(s)  # established connections are still served
        for s in extra:
            s.close()
        for s in held[10:]:
            s.close()
        time.sleep(0.5)
        late = socket.create_connection((host, port), timeout=10)
        late.settimeout(10)
        round_trip(late, b"served again")  # freed descriptors are used again
        late.close()
        for s in held[:10]:
            s.close()
        code, out, _ = pump.finish()
        assert code == 0
        recs = [r for r in jsonl(out)]
        summary = of_type(recs, "summary")
        assert summary, out[-500:]
    finally:
        proc.stop()


run_tests()
