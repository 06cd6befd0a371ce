"""Helpers shared by the tcp-echo integration tests (loopback only)."""
import contextlib
import json
import os
import queue
import signal
import resource
import socket
import subprocess
import threading
import time

from ntlib import Process, split_hostport, start_server


class RecordPump:
    """Drains a started server's stdout on a thread, so the server never blocks on a full pipe (1,000
    `accepted` records are more than a pipe holds) while the test is busy elsewhere, and hands out its
    JSON lines in order."""

    def __init__(self, process):
        self.process = process
        self.lines = queue.Queue()
        self.seen = []
        self.thread = threading.Thread(target=self._pump, daemon=True)
        self.thread.start()

    @property
    def pid(self):
        return self.process.pid

    def _pump(self):
        stream = self.process.proc.stdout
        pending = b""
        while True:
            try:
                chunk = stream.read1(65536)
            except (ValueError, OSError):  # closed by stop()
                break
            if not chunk:
                break
            pending += chunk
            *complete, pending = pending.split(b"\n")
            for line in complete:
                if line.strip():
                    self.lines.put(line.decode())
        self.lines.put(None)

    def wait_for(self, kind, timeout=10):
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise TimeoutError(f"no {kind!r} record within {timeout}s") from None
            if line is None:
                raise EOFError(f"server ended before a {kind!r} record")
            self.seen.append(line)
            rec = json.loads(line)
            if rec.get("type") == kind:
                return rec

    def finish(self, signo=signal.SIGTERM, timeout=15):
        """Signals the server, waits; returns (exit code, the JSON lines not yet taken, stderr)."""
        self.process.signal(signo)
        code = self.process.proc.wait(timeout=timeout)
        self.thread.join(timeout=timeout)
        rest = []
        while not self.lines.empty():
            line = self.lines.get()
            if line is not None:
                rest.append(line)
        err = self.process.proc.stderr.read().decode(errors="replace")
        return code, "\n".join(rest) + "\n", err

    def stop(self):
        self.process.stop()


@contextlib.contextmanager
def echo_server(*extra, listen="127.0.0.1:0"):
    """`nettool tcp-echo server --listen LISTEN EXTRA --jsonl`; yields (RecordPump, host, port)."""
    proc, rec = start_server("tcp-echo", "server", "--listen", listen, *extra)
    pump = RecordPump(proc)
    try:
        host, port = split_hostport(rec["address"]) if not rec["address"][0] in "u@" else (rec["address"], 0)
        yield pump, host, port
    finally:
        proc.stop()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def echo_with_socket(sock, payload, chunk=65536):
    """Sends payload on a connected socket while reading the echo; returns what came back."""
    received = bytearray()
    sender = threading.Thread(target=lambda: (sock.sendall(payload), sock.shutdown(socket.SHUT_WR)))
    sender.start()
    while True:
        data = sock.recv(chunk)
        if not data:
            break
        received += data
    sender.join()
    return bytes(received)


def raise_nofile(n):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < n:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(n, hard), hard))


class FakeServer:
    """A python TCP server on loopback with a custom per-connection handler (for broken echo servers)."""

    def __init__(self, handler):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.handler = handler
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn):
        with conn, contextlib.suppress(OSError):
            self.handler(conn)

    def close(self):
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def peer_process(cmd):
    """A peer tool (socat, ncat…) in the background, stopped by PID."""
    return Process(raw_cmd=cmd)


def random_bytes(n, seed=1):
    import random
    return random.Random(seed).randbytes(n)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def env_without_color():
    return dict(os.environ, NO_COLOR="1")


def run_capture(cmd, data, timeout=60):
    return subprocess.run(cmd, input=data, capture_output=True, timeout=timeout)
