"""portscan --shard K/N --seed S: the four shards of one scan are disjoint and their union is the full
scan; and the open-port set equals nmap's on the same namespace (connect and SYN)."""
import subprocess

from ntlib import require_peer, run_tests, test
from scanlab import FILTERED_TCP, OPEN_TCP, TARGET4, TARGET6, lab, scan, states, summary

LAB = {}
TARGETS = ["10.77.0.1-2", TARGET6]  # scanner + target over IPv4, target over IPv6


@test
def setup_lab():
    LAB["cm"] = lab()
    LAB["ns"] = LAB["cm"].__enter__()


@test
def shards_partition_the_scan():
    args = [*TARGETS, "-p", "1-3000,31337", "--all", "--connect", "--seed", 12345]
    proc, full = scan(LAB["ns"], "scanner", *args)
    assert proc.returncode == 0, proc.stderr
    full_states = states(full)
    assert len(full_states) == 3 * 3001, len(full_states)
    union = {}
    probes = 0
    for k in range(1, 5):
        proc, part = scan(LAB["ns"], "scanner", *args, "--shard", f"{k}/4")
        assert proc.returncode == 0, proc.stderr
        part_states = states(part)
        overlap = set(part_states) & set(union)
        assert not overlap, f"shard {k} repeats {sorted(overlap)[:5]}"
        union.update(part_states)
        probes += summary(part)["probes"]
        assert summary(part)["shard"] == f"{k}/4"
    assert probes == len(full_states)
    assert union == full_states, "the shards' union differs from the full scan"


@test
def same_seed_same_order_different_seed_different_order():
    def order(seed):
        _, recs = scan(LAB["ns"], "scanner", TARGET4, "-p", "1-2000", "--all", "--connect", "--seed", seed)
        return [r["port"] for r in recs if r["type"] == "port"]
    a, b = order(1), order(2)
    assert sorted(a) == sorted(b) == list(range(1, 2001))
    assert a != b and a != sorted(a), "the order does not depend on the seed"


def nmap_open(ns, mode, host):
    six = ["-6"] if ":" in host else []
    cmd = ["ip", "netns", "exec", ns["scanner"], "nmap", "-n", "-Pn", "-p-", "-T5", mode, *six, "-oG", "-", host]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=180).stdout
    ports = set()
    for line in out.splitlines():
        if "Ports:" in line:
            for item in line.split("Ports:")[1].split("\t")[0].split(","):
                fields = item.strip().split("/")
                if len(fields) > 1 and fields[1] == "open":
                    ports.add(int(fields[0]))
    return ports


@test
def open_ports_match_nmap():
    require_peer("nmap")
    for method, nmap_mode, host in (("--syn", "-sS", TARGET4), ("--connect", "-sT", TARGET4), ("--syn", "-sS", TARGET6)):
        proc, records = scan(LAB["ns"], "scanner", host, "-p", "-", method)
        assert proc.returncode == 0, proc.stderr
        ours = {p for (_, p), s in states(records).items() if s == "open"}
        theirs = nmap_open(LAB["ns"], nmap_mode, host)
        assert ours == theirs == set(OPEN_TCP), f"{method} {host}: nettool {sorted(ours)} nmap {sorted(theirs)}"
    assert FILTERED_TCP  # the drops are in place for both tools


@test
def teardown_lab():
    LAB["cm"].__exit__(None, None, None)


run_tests()
