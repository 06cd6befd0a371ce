"""A two-namespace multicast lab for the multicast tests: sender 's' and receiver 'r' on one veth
pair, 10.77.0.0/24 and fd07::/64, multicast routes set here. Everything is deleted on exit."""
import contextlib
import os
import subprocess
import time

from ntlib import NETTOOL, Netns, Process, have, jsonl, of_type, sh, skip

S4, S4B, R4 = "10.77.0.1", "10.77.0.3", "10.77.0.2"
S6, R6 = "fd07::1", "fd07::2"


def require_root():
    if os.geteuid() != 0:
        skip("needs root to create network namespaces")
    if not have("ip"):
        skip("iproute2 (ip) is not installed")


@contextlib.contextmanager
def lab(routes=True):
    """Yields (ns, s_if, r_if)."""
    require_root()
    with Netns(["s", "r"]) as ns:
        s_if, r_if = ns.link("s", f"{S4}/24", "r", f"{R4}/24")
        sh(f"ip -n {ns['s']} addr add {S4B}/24 dev {s_if}")
        sh(f"ip -n {ns['s']} addr add {S6}/64 dev {s_if} nodad")
        sh(f"ip -n {ns['r']} addr add {R6}/64 dev {r_if} nodad")
        if routes:
            for name, ifc in (("s", s_if), ("r", r_if)):
                sh(f"ip -n {ns[name]} route add 224.0.0.0/4 dev {ifc}")
        yield ns, s_if, r_if


def start_receiver(ns, *args):
    """`multicast recv ARGS --jsonl` in the receiver namespace, once it has joined."""
    p = Process("multicast", "recv", *args, "--jsonl", "--interval", 0, netns=ns["r"])
    try:
        p.wait_for("joined")
    except Exception:
        p.stop()
        raise
    return p


def send(ns, *args, check=0, where="s"):
    cmd = ["ip", "netns", "exec", ns[where], NETTOOL, "multicast", "send", *map(str, args), "--jsonl",
           "--interval", "0"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if check is not None:
        assert proc.returncode == check, f"{cmd}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return jsonl(proc.stdout)


def finish(p, timeout=20):
    """Waits for a receiver that stops by itself (--expect/--timeout/--duration): (exit, records, stderr)."""
    try:
        out, err = p.proc.communicate(timeout=timeout)
    finally:
        p.stop()
    text = (p._buffer + out).decode(errors="replace")
    return p.proc.returncode, jsonl(text), err.decode(errors="replace")


def summaries(records):
    return of_type(records, "summary")


def wait_until(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False
