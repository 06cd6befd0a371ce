"""Shared helpers for nettool integration tests.

A test script defines functions decorated with @test and ends with `run_tests()`. Each test runs in
order; a failure prints the assertion and the test name, and the script exits 1 if any failed.
Everything a test starts is stopped by PID; every namespace it creates is deleted (see Netns).
Traffic only goes to loopback or to addresses inside namespaces the test creates.
"""
import contextlib
import json
import os
import signal as _sig  # aliased: Process.signal() would shadow the module in the class body
import socket
import subprocess
import sys
import time
import traceback
import uuid

NETTOOL = os.environ.get("NETTOOL", "build/nettool")
SOURCE_ROOT = os.environ.get("NETTOOL_SOURCE_ROOT", os.getcwd())

_tests = []


def test(fn):
    _tests.append(fn)
    return fn


class Skip(Exception):
    """A prerequisite this machine lacks (a kernel feature, a privilege layout): the test did not run."""


def skip(reason):
    raise Skip(reason)


def require_peer(program):
    """Skips when `program` is missing, unless scripts/test set up this machine (NETTOOL_REQUIRE_PEERS=1):
    it installs every peer, so a missing one there is a failure, never a silent pass."""
    if have(program):
        return
    if os.environ.get("NETTOOL_REQUIRE_PEERS") == "1":
        raise AssertionError(f"{program} is missing although scripts/test installs it")
    skip(f"{program} is not installed")


def run_tests():
    """Runs the tests; exit 1 if any failed, else 77 (meson's SKIP) if any skipped, else 0."""
    only = sys.argv[1:]
    failed = skipped = 0
    for fn in _tests:
        if only and fn.__name__ not in only:
            continue
        start = time.monotonic()
        try:
            fn()
            print(f"ok   {fn.__name__} ({time.monotonic() - start:.2f}s)", flush=True)
        except Skip as why:
            skipped += 1
            print(f"SKIP {fn.__name__}: {why}", flush=True)
        except Exception:  # noqa: BLE001 - report every failure, keep going
            failed += 1
            print(f"FAIL {fn.__name__}", flush=True)
            traceback.print_exc()
    print(f"{len(_tests) - failed - skipped} passed, {failed} failed, {skipped} skipped")
    sys.exit(1 if failed else 77 if skipped else 0)


def nettool(*args, input=None, timeout=30, netns=None, check=None, env=None, user=None):
    """Runs nettool to completion. Returns CompletedProcess with .stdout/.stderr as str (bytes if input is bytes).

    check: expected exit code (asserted) or None.
    """
    cmd = [NETTOOL, *map(str, args)]
    if netns:
        cmd = ["ip", "netns", "exec", netns, *cmd]
    if user:
        cmd = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", "--inh-caps=-all", *cmd]
    text = not isinstance(input, (bytes, bytearray))
    full_env = dict(os.environ, **(env or {}))
    proc = subprocess.run(cmd, input=input, capture_output=True, timeout=timeout, text=text, env=full_env)
    if check is not None:
        assert proc.returncode == check, (
            f"{' '.join(cmd)}: exit {proc.returncode}, expected {check}\nstdout: {proc.stdout[:2000]!r}\n"
            f"stderr: {proc.stderr[:2000]!r}")
    return proc


def jsonl(text):
    """Parses JSON lines; every non-empty line must be a JSON object with a 'type'."""
    records = []
    for line in text.splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        assert isinstance(rec, dict) and "type" in rec, f"record without type: {line}"
        records.append(rec)
    return records


def of_type(records, kind):
    return [r for r in records if r.get("type") == kind]


def jq_ok(text, program="."):
    """Feeds text to the real jq; asserts it parses. Returns jq's output."""
    proc = subprocess.run(["jq", "-c", program], input=text, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, f"jq rejected output: {proc.stderr}\n{text[:2000]}"
    return proc.stdout


def assert_usage_error(proc, *needles):
    """Exit 2, exactly one line on stderr, naming each needle."""
    assert proc.returncode == 2, f"exit {proc.returncode}, expected 2; stderr={proc.stderr!r}"
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, f"expected one stderr line, got {lines!r}"
    for n in needles:
        assert n in lines[0], f"{n!r} not in {lines[0]!r}"


class Process:
    """A background nettool (or any command) with its stdout read as JSON lines.

    Use as a context manager; on exit it is stopped by PID (SIGTERM, then SIGKILL).
    """

    def __init__(self, *args, netns=None, raw_cmd=None, stdin=subprocess.DEVNULL, env=None):
        cmd = raw_cmd or [NETTOOL, *map(str, args)]
        if netns:
            cmd = ["ip", "netns", "exec", netns, *cmd]
        self.cmd = cmd
        self.proc = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=dict(os.environ, **(env or {})))
        self._buffer = b""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    @property
    def pid(self):
        return self.proc.pid

    def read_record(self, timeout=10):
        """Next JSON line from stdout (blocking up to timeout).

        Reads the raw descriptor into our own buffer: select() on a buffered reader would miss a
        second record that arrived in the same read as the first.
        """
        import select
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while True:
            line, sep, rest = self._buffer.partition(b"\n")
            if sep:
                self._buffer = rest
                if line.strip():
                    return json.loads(line)
                continue
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no record from {self.cmd} within {timeout}s")
            ready, _, _ = select.select([fd], [], [], remaining)
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    err = self.proc.stderr.read().decode(errors="replace")
                    raise EOFError(f"{self.cmd} closed stdout (exit {self.proc.poll()}): {err}")
                self._buffer += chunk

    def wait_for(self, kind, timeout=10):
        while True:
            rec = self.read_record(timeout)
            if rec.get("type") == kind:
                return rec

    def signal(self, signo=_sig.SIGTERM):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signo)

    def finish(self, signo=_sig.SIGTERM, timeout=15):
        """Sends signo, waits; returns (exit code, remaining stdout, stderr)."""
        self.signal(signo)
        out, err = self.proc.communicate(timeout=timeout)
        out = self._buffer + out
        self._buffer = b""
        return self.proc.returncode, out.decode(errors="replace"), err.decode(errors="replace")

    def stop(self):
        terminate(self.proc)
        for f in (self.proc.stdout, self.proc.stderr):
            if f:
                f.close()

    def rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0


def terminate(proc, timeout=5):
    """SIGTERM a process we started, SIGKILL it if it is still there after `timeout` s, and reap it."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def start_server(*args, netns=None):
    """Starts `nettool ARGS --jsonl`, waits for its `listening` record; returns (Process, record)."""
    p = Process(*args, "--jsonl", netns=netns)
    try:
        rec = p.wait_for("listening")
    except Exception:
        p.stop()
        raise
    return p, rec


def split_hostport(address):
    """'127.0.0.1:5000' or '[::1]:5000' -> (host, port)."""
    host, _, port = address.rpartition(":")
    return host.strip("[]"), int(port)


def sh(cmd, check=True, timeout=30):
    proc = subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise RuntimeError(f"{cmd}: exit {proc.returncode}: {proc.stderr}")
    return proc


class Netns:
    """Network namespaces joined by veth pairs, deleted on exit.

        with Netns(["a", "b"]) as ns:
            ns.link("a", "10.200.0.1/24", "b", "10.200.0.2/24")
            nettool("ping", "-c", 1, "10.200.0.2", netns=ns["a"])

    Names get a random suffix so parallel tests don't collide.
    """

    def __init__(self, names):
        tag = uuid.uuid4().hex[:6]
        self.names = {n: f"nt{n}{tag}"[:15] for n in names}
        self._links = 0

    def __getitem__(self, name):
        return self.names[name]

    def __enter__(self):
        for full in self.names.values():
            sh(f"ip netns add {full}")
            sh(f"ip -n {full} link set lo up")
        return self

    def __exit__(self, *exc):
        for full in self.names.values():
            sh(f"ip netns pids {full} | xargs -r kill -9", check=False)
            sh(f"ip netns del {full}", check=False)

    def exec(self, name, cmd, check=True, timeout=30):
        return sh(f"ip netns exec {self.names[name]} {cmd}", check=check, timeout=timeout)

    def link(self, a, addr_a, b, addr_b):
        """veth between namespaces a and b with the given CIDR addresses (IPv4 or IPv6). Returns iface names."""
        self._links += 1
        ia, ib = f"v{self._links}a", f"v{self._links}b"
        tmp_a, tmp_b = f"t{uuid.uuid4().hex[:8]}", f"t{uuid.uuid4().hex[:8]}"
        sh(f"ip link add {tmp_a} type veth peer name {tmp_b}")
        sh(f"ip link set {tmp_a} netns {self.names[a]}")
        sh(f"ip link set {tmp_b} netns {self.names[b]}")
        sh(f"ip -n {self.names[a]} link set {tmp_a} name {ia}")
        sh(f"ip -n {self.names[b]} link set {tmp_b} name {ib}")
        for ns, ifc, addr in ((a, ia, addr_a), (b, ib, addr_b)):
            if addr:
                nodad = " nodad" if ":" in addr else ""
                sh(f"ip -n {self.names[ns]} addr add {addr} dev {ifc}{nodad}")
            sh(f"ip -n {self.names[ns]} link set {ifc} up")
        return ia, ib


def wait_port(host, port, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            with socket.create_connection((host, port), timeout=0.5):
                return
        time.sleep(0.05)
    raise TimeoutError(f"{host}:{port} not accepting")


def have(program):
    from shutil import which
    return which(program) is not None
