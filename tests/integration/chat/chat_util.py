"""Helpers for the chat-server tests: python3 chat clients written from the protocol text (the flat form
and the textbook implementation's nested `data` form), and a server started on a free loopback port."""
import contextlib
import json
import os
import resource
import signal
import socket
import threading
import time

from ntlib import split_hostport, start_server


class ChatClient:
    """A blocking line client. nested=True sends every field inside "data", as the textbook code does."""

    def __init__(self, host, port, nested=False, family=None, path=None, timeout=10):
        if path is not None:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.settimeout(timeout)
            self.sock.connect(path)
        else:
            self.sock = socket.create_connection((host, port), timeout=timeout)
        self.nested = nested
        self.buf = b""

    def send(self, type_, **fields):
        obj = {"type": type_}
        if fields:
            if self.nested:
                obj["data"] = fields
            else:
                obj.update(fields)
        self.send_raw(json.dumps(obj).encode() + b"\n")

    def send_raw(self, data):
        self.sock.sendall(data)

    def recv(self, timeout=10):
        """Next message as a dict; the fields of a nested reply are lifted beside "type"."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("server closed the connection")
            self.buf += chunk
        line, _, self.buf = self.buf.partition(b"\n")
        msg = json.loads(line)
        assert isinstance(msg, dict) and isinstance(msg.get("type"), str), line
        if isinstance(msg.get("data"), dict):
            msg.update(msg.pop("data"))
        return msg

    def expect(self, type_, timeout=10, **fields):
        """Skips pings and user_joined/user_left noise until a `type_` message; checks its fields."""
        deadline = time.monotonic() + timeout
        while True:
            msg = self.recv(max(0.01, deadline - time.monotonic()))
            if msg["type"] == type_:
                for k, v in fields.items():
                    assert msg.get(k) == v, f"{k}: {msg.get(k)!r} != {v!r} in {msg}"
                return msg
            assert msg["type"] in ("ping", "user_joined", "user_left", "nick"), f"expected {type_}, got {msg}"

    def join(self, name):
        self.send("join", name=name)
        return self.expect("welcome")

    def closed(self, timeout=10):
        """True once the server closed the connection (after whatever it still sends)."""
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                self.sock.settimeout(max(0.01, deadline - time.monotonic()))
                if not self.sock.recv(65536):
                    return True
        except (ConnectionResetError, BrokenPipeError):
            return True
        except socket.timeout:
            return False
        return False

    def close(self):
        self.sock.close()


class DrainedServer:
    """The server's stdout read all along by a thread: thousands of joined/left records must not fill
    the pipe and block the server while a test is busy being its clients."""

    def __init__(self, process):
        self.process = process
        self.chunks = []
        self.thread = threading.Thread(target=self._drain, daemon=True)
        self.thread.start()

    def _drain(self):
        fd = self.process.proc.stdout.fileno()
        while chunk := os.read(fd, 65536):
            self.chunks.append(chunk)

    @property
    def pid(self):
        return self.process.pid

    def finish(self, signo=signal.SIGTERM, timeout=15):
        """Sends signo, waits; returns (exit code, stdout after `listening`, stderr)."""
        self.process.signal(signo)
        code = self.process.proc.wait(timeout=timeout)
        self.thread.join(timeout)
        err = self.process.proc.stderr.read().decode(errors="replace")
        out = (self.process._buffer + b"".join(self.chunks)).decode(errors="replace")
        return code, out, err

    def stop(self):
        self.process.stop()
        self.thread.join(5)


@contextlib.contextmanager
def chat_server(*args, listen="127.0.0.1:0"):
    """`nettool chat-server --listen LISTEN ARGS --jsonl`; yields (server, host, port, listening record)."""
    process, rec = start_server("chat-server", "--listen", listen, *args)
    local = listen.startswith(("unix:", "@"))
    host, port = (None, None) if local else split_hostport(rec["address"])
    server = DrainedServer(process)
    try:
        yield server, host, port, rec
    finally:
        server.stop()


def raise_nofile(n):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < n:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(n, soft)), hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def unique(prefix):
    return f"{prefix}-{os.getpid()}-{time.monotonic_ns() % 1000000}"
