"""Helpers for the fd-pass tests: temporary socket paths, python3 send_fds/recv_fds peers."""
import array
import contextlib
import os
import socket
import subprocess
import tempfile
import threading

import ntlib


@contextlib.contextmanager
def tmpdir():
    with tempfile.TemporaryDirectory(prefix=f"fdpass-{os.getpid()}-") as d:
        yield d


def recv_process(path, *extra, env=None):
    """`nettool fd-pass recv --socket PATH --jsonl …` in the background, waited for until it listens."""
    proc = ntlib.Process("fd-pass", "recv", "--socket", path, "--jsonl", "--timeout", "20", *extra, env=env)
    proc.wait_for("listening")
    return proc


def python_send(path, fds, payload=b"x", connect_timeout=5):
    """Connects to PATH and passes fds with socket.send_fds (python's own SCM_RIGHTS)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(connect_timeout)
        s.connect(path)
        socket.send_fds(s, [payload], fds)
        s.shutdown(socket.SHUT_WR)
        s.recv(1)  # wait until the receiver closed: it has taken the descriptors


class PythonReceiver:
    """Listens on PATH; a thread accepts one peer and collects (payload, fds, flags) per message."""

    def __init__(self, path, maxfds=300, ancbufsize=None):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        self.sock.listen(1)
        self.sock.settimeout(20)
        self.messages = []
        self.error = None
        self.maxfds = maxfds
        self.ancbufsize = ancbufsize
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        try:
            conn, _ = self.sock.accept()
            with conn:
                conn.settimeout(20)
                while len(self.messages) < 64:
                    if self.ancbufsize is None:
                        data, fds, flags, _ = socket.recv_fds(conn, 65536, self.maxfds)
                    else:
                        data, anc, flags, _ = conn.recvmsg(65536, self.ancbufsize)
                        fds = []
                        for level, kind, blob in anc:
                            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                                fds += list(array.array("i", blob[: len(blob) - len(blob) % 4]))
                    if not data and not fds:
                        break
                    self.messages.append((data, fds, flags))
        except Exception as e:  # noqa: BLE001 - reported by join()
            self.error = e

    def join(self, timeout=20):
        self.thread.join(timeout)
        self.sock.close()
        assert not self.thread.is_alive(), "python receiver did not finish"
        if self.error:
            raise self.error
        return self.messages


def nettool_send(path, *args, pass_fds=(), timeout=20, check=0):
    cmd = [ntlib.NETTOOL, "fd-pass", "send", "--socket", path, "--jsonl", *map(str, args)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, pass_fds=pass_fds)
    if check is not None:
        assert proc.returncode == check, f"{cmd}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


def close_all(fds):
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)


def wait_end(proc, timeout=20):
    """Waits for a background nettool to exit by itself; returns (exit code, stdout, stderr)."""
    try:
        proc.proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        pass  # finish() stops it, and the caller's exit-code check fails
    return proc.finish()
