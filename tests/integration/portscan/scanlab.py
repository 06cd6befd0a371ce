"""A scan lab for portscan tests: two namespaces joined by a veth (IPv4 10.77.0.0/24, IPv6 fd77::/64).

`scanner` runs nettool; `target` runs listeners.py on OPEN_TCP/OPEN_UDP and drops FILTERED_* with nft
(inet table, so the drop also applies to loopback scans inside `target`). Everything is deleted on exit.
"""
import contextlib
import json
import os
import subprocess

from ntlib import NETTOOL, Netns, Process, jsonl, of_type

HERE = os.path.dirname(os.path.abspath(__file__))
OPEN_TCP = [22, 80, 5000, 31337, 60001]
FILTERED_TCP = [81, 8081, 45000]
OPEN_UDP = [9999, 53]
FILTERED_UDP = [10005]
TARGET4, TARGET6 = "10.77.0.2", "fd77::2"
SCANNER4, SCANNER6 = "10.77.0.1", "fd77::1"
ALL_PORTS = 65535


@contextlib.contextmanager
def lab():
    with Netns(["scanner", "target"]) as ns:
        ns.link("scanner", f"{SCANNER4}/24", "target", f"{TARGET4}/24")
        ns.exec("scanner", f"ip -6 addr add {SCANNER6}/64 dev v1a nodad")
        ns.exec("target", f"ip -6 addr add {TARGET6}/64 dev v1b nodad")
        # ICMP errors are rate limited per destination (6 then 1/s); a UDP scan needs every one of them.
        ns.exec("target", "sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0")
        tcp = ",".join(map(str, FILTERED_TCP))
        udp = ",".join(map(str, FILTERED_UDP))
        rules = (f"add table inet scanlab; "
                 f"add chain inet scanlab input {{ type filter hook input priority 0; }}; "
                 f"add rule inet scanlab input tcp dport {{ {tcp} }} drop; "
                 f"add rule inet scanlab input udp dport {{ {udp} }} drop")
        ns.exec("target", f"nft '{rules}'")
        cmd = ["ip", "netns", "exec", ns["target"], "python3", os.path.join(HERE, "listeners.py"),
               "--tcp", ",".join(map(str, OPEN_TCP)), "--udp", ",".join(map(str, OPEN_UDP)), "--banner", "22"]
        with Process(raw_cmd=cmd) as listeners:
            listeners.wait_for("ready")
            yield ns


def scan(ns, where, *args, timeout=120):
    """Runs `nettool portscan ARGS --jsonl` in namespace `where`; returns (proc, records)."""
    cmd = ["ip", "netns", "exec", ns[where], NETTOOL, "portscan", *map(str, args), "--jsonl"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    return proc, jsonl(proc.stdout)


def states(records):
    """{(host, port): state} from port records; asserts no (host, port) appears twice."""
    out = {}
    for r in of_type(records, "port"):
        key = (r["host"], r["port"])
        assert key not in out, f"duplicate record for {key}"
        out[key] = r["state"]
    return out


def summary(records):
    s = of_type(records, "summary")
    assert len(s) == 1, f"expected one summary, got {len(s)}"
    return s[0]


def assert_ground_truth(records, host, open_ports, filtered_ports, total=ALL_PORTS):
    got = states(records)
    opened = sorted(p for (h, p), s in got.items() if h == host and s == "open")
    filtered = sorted(p for (h, p), s in got.items() if h == host and s == "filtered")
    assert opened == sorted(open_ports), f"{host}: open {opened}, expected {sorted(open_ports)}"
    assert filtered == sorted(filtered_ports), f"{host}: filtered {filtered}, expected {sorted(filtered_ports)}"
    closed = sum(1 for (h, _), s in got.items() if h == host and s == "closed")
    assert closed == total - len(open_ports) - len(filtered_ports), f"{host}: {closed} closed"
    s = summary(records)
    assert (s["open"], s["filtered"], s["closed"]) == (len(open_ports), len(filtered_ports), closed), s
    assert s["finished"] == s["probes"] == total, s
    assert s["schema_version"] >= 1 and not s["interrupted"], s
