"""nettool ping on loopback: IPv4/IPv6, -c, -i, -s, -t/-Q/-p on the wire, many hosts, output contract."""
import json
import os
import signal
import socket
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ntlib import (Process, assert_usage_error, jq_ok, jsonl, nettool, of_type, run_tests, test)  # noqa: E402


def ping_jsonl(*args, check=0, timeout=60):
    proc = nettool("ping", "--jsonl", *args, check=check, timeout=timeout)
    jq_ok(proc.stdout)  # every line parses with the real jq
    return jsonl(proc.stdout)


def host_summary(recs, host=None):
    sums = [r for r in of_type(recs, "summary") if r["scope"] == "host" and (host is None or r["host"] == host)]
    assert len(sums) == 1, sums
    return sums[0]


@test
def ipv4_count_and_fields():
    recs = ping_jsonl("-c", 3, "-i", 0.01, "127.0.0.1")
    start = of_type(recs, "start")[0]
    assert start["hosts"] == 1 and start["payload_bytes"] == 56 and start["socket"] in ("raw", "dgram"), start
    replies = of_type(recs, "reply")
    assert [r["seq"] for r in replies] == [1, 2, 3], replies
    for r in replies:
        assert r["host"] == "127.0.0.1" and r["from"] == "127.0.0.1", r
        assert r["ttl"] == 64 and r["bytes"] == 64, r
        assert isinstance(r["rtt_ms"], float) and 0 < r["rtt_ms"] < 1000, r
        assert r["duplicate"] is False and r["corrupted"] is False, r
        assert r["timestamp"].endswith("Z") and "T" in r["timestamp"], r
    s = host_summary(recs)
    assert s["transmitted"] == 3 and s["received"] == 3 and s["loss_percent"] == 0, s
    assert s["duplicates"] == 0 and s["corrupted"] == 0 and s["errors"] == 0, s
    for key in ("rtt_ms_min", "rtt_ms_avg", "rtt_ms_max", "rtt_ms_mdev", "rtt_ms_p50", "rtt_ms_p90",
                "rtt_ms_p99", "jitter_ms"):
        assert isinstance(s[key], (int, float)), (key, s)
    assert s["rtt_ms_min"] <= s["rtt_ms_p50"] <= s["rtt_ms_max"], s
    assert s["schema_version"] == 1, s


@test
def ipv6_loopback():
    recs = ping_jsonl("-c", 2, "-i", 0.01, "::1")
    replies = of_type(recs, "reply")
    assert len(replies) == 2 and all(r["from"] == "::1" and r["bytes"] == 64 for r in replies), replies
    assert all(r["ttl"] == 64 for r in replies), replies  # hop limit from IPV6_HOPLIMIT
    assert host_summary(recs)["received"] == 2


@test
def text_output_like_iputils():
    proc = nettool("ping", "-c", 2, "-i", 0.01, "127.0.0.1", check=0)
    out = proc.stdout
    assert "PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data." in out, out
    assert "64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=" in out, out
    assert "--- 127.0.0.1 ping statistics ---" in out, out
    assert "2 packets transmitted, 2 received, 0% packet loss, time " in out, out
    assert "rtt min/avg/max/mdev = " in out and "rtt p50/p90/p99 = " in out and "jitter = " in out, out
    assert proc.stderr == "", proc.stderr
    quiet = nettool("ping", "-q", "-c", 2, "-i", 0.01, "127.0.0.1", check=0).stdout
    assert "icmp_seq" not in quiet and "ping statistics" in quiet, quiet
    stamped = nettool("ping", "-D", "-c", 1, "127.0.0.1", check=0).stdout
    assert "\n[" in stamped and "] 64 bytes from" in stamped, stamped


@test
def interval_is_kept():
    recs = ping_jsonl("-c", 20, "-i", 0.01, "127.0.0.1")
    replies = of_type(recs, "reply")
    assert len(replies) == 20
    def secs(ts):
        return time.mktime(time.strptime(ts[:19], "%Y-%m-%dT%H:%M:%S")) + float("0" + ts[19:-1])
    span = secs(replies[-1]["timestamp"]) - secs(replies[0]["timestamp"])
    assert span >= 0.17, f"20 probes at -i 0.01 spanned only {span:.3f}s"


@test
def sizes_zero_and_maximum():
    recs = ping_jsonl("-c", 2, "-i", 0.01, "-s", 0, "127.0.0.1")
    replies = of_type(recs, "reply")
    assert len(replies) == 2 and all(r["bytes"] == 8 and r["rtt_ms"] > 0 for r in replies), replies
    recs = ping_jsonl("-c", 2, "-i", 0.01, "-s", 65507, "127.0.0.1")
    replies = of_type(recs, "reply")
    assert len(replies) == 2 and all(r["bytes"] == 65515 and not r["corrupted"] for r in replies), replies
    recs = ping_jsonl("-c", 1, "-s", 65527, "::1")
    assert of_type(recs, "reply")[0]["bytes"] == 65535
    assert_usage_error(nettool("ping", "-c", 1, "-s", 65508, "127.0.0.1"), "65508")


def sniff_requests(sock, payload_marker, timeout=3.0):
    """Echo requests (IPv4 header + ICMP) seen on loopback whose payload starts with the marker."""
    found = []
    deadline = time.monotonic() + timeout
    sock.settimeout(0.2)
    while time.monotonic() < deadline and not found:
        try:
            pkt = sock.recv(70000)
        except socket.timeout:
            continue
        ihl = (pkt[0] & 0x0F) * 4
        if pkt[ihl] == 8 and pkt[ihl + 8:ihl + 8 + len(payload_marker)] == payload_marker:
            found.append(pkt)
    return found


@test
def ttl_tos_and_pattern_on_the_wire():
    # A raw socket of our own sees the echo requests arriving on loopback with their IP header.
    with socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP) as sock:
        nettool("ping", "-c", 1, "-t", 7, "-Q", "0x20", "-p", "c0ffee42", "-s", 16, "127.0.0.1", check=0)
        found = sniff_requests(sock, bytes.fromhex("c0ffee42c0ffee42"))
    assert found, "no echo request with our pattern seen"
    pkt = found[0]
    assert pkt[8] == 7, f"TTL {pkt[8]}, expected 7"
    assert pkt[1] == 0x20, f"TOS {pkt[1]:#x}, expected 0x20"
    assert pkt[20 + 8:] == bytes.fromhex("c0ffee42") * 4


def address_file(count, prefix="127.1"):
    f = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False)
    for i in range(count):
        f.write(f"{prefix}.{i // 250}.{1 + i % 250}\n")
    f.close()
    return f.name


@test
def thousand_hosts():
    path = address_file(1000)
    try:
        recs = ping_jsonl("-c", 2, "-i", 0.01, "--file", path, timeout=120)
    finally:
        os.unlink(path)
    sums = [r for r in of_type(recs, "summary") if r["scope"] == "host"]
    assert len(sums) == 1000, len(sums)
    bad = [s for s in sums if s["received"] != 2 or s["transmitted"] != 2]
    assert not bad, bad[:5]
    assert all(s["address"] == s["host"] for s in sums)
    total = [r for r in of_type(recs, "summary") if r["scope"] == "total"][0]
    assert total["hosts"] == 1000 and total["hosts_alive"] == 1000 and total["received"] == 2000, total
    replies = of_type(recs, "reply")
    assert len(replies) == 2000 and all(r["from"] == r["host"] for r in replies)


@test
def ten_thousand_hosts():
    path = address_file(10000, prefix="127.2")
    try:
        proc = nettool("ping", "-q", "-c", 1, "--file", path, check=0, timeout=120)
    finally:
        os.unlink(path)
    last = proc.stdout.strip().splitlines()
    assert any("10000 hosts, 10000 alive" in ln for ln in last), proc.stdout[-500:]
    assert "10000 packets transmitted, 10000 received, 0% packet loss" in proc.stdout


@test
def stdin_and_cidr_targets():
    proc = nettool("ping", "--jsonl", "-c", 1, "-", "127.3.0.0/30", input="127.3.1.1\n# comment\n\n127.3.1.2\n",
                   check=0)
    hosts = sorted(r["host"] for r in of_type(jsonl(proc.stdout), "summary") if r["scope"] == "host")
    assert hosts == ["127.3.0.1", "127.3.0.2", "127.3.1.1", "127.3.1.2"], hosts
    text = nettool("ping", "-c", 1, "127.3.0.0/30", check=0).stdout
    assert "127.3.0.1 : xmt/rcv/%loss = 1/1/0%" in text and "--- 2 hosts, 2 alive ---" in text, text
    listed = nettool("ping", "--format", "list", "-c", 1, "127.3.0.0/30", check=0).stdout.split()
    assert listed == ["127.3.0.1", "127.3.0.2"], listed


@test
def json_document_after_sigint():
    with Process("ping", "--json", "-i", 0.05, "127.0.0.1") as p:
        time.sleep(0.6)
        code, out, err = p.finish(signal.SIGINT)
    doc = json.loads(out)
    jq_ok(out)
    recs = doc["records"]
    assert len(of_type(recs, "reply")) >= 3, recs
    s = [r for r in recs if r["type"] == "summary"][0]
    assert s["received"] >= 3 and s["transmitted"] >= s["received"], s
    assert code == 0, (code, err)


@test
def usage_errors():
    for args, needle in ((["-c", 0, "127.0.0.1"], "count"), (["-s", 70000, "127.0.0.1"], "size"),
                         (["-p", "zz", "127.0.0.1"], "pattern"), (["--socket", "packet", "127.0.0.1"], "packet"),
                         (["-t", 0, "127.0.0.1"], "TTL"), (["bad host!"], "bad host!"),
                         (["10.0.0.0/33"], "10.0.0.0/33"), (["-Q", 300, "127.0.0.1"], "300"),
                         (["-I", "nosuchif0", "127.0.0.1"], "nosuchif0"), (["-4", "::1"], "::1"),
                         (["--file", "/nonexistent/hosts"], "/nonexistent/hosts"), ([], "host"),
                         (["-c", -1, "127.0.0.1"], "-1"), (["-i", -1, "127.0.0.1"], "interval"),
                         (["-I", "127.0.0.1", "::1"], "127.0.0.1")):
        assert_usage_error(nettool("ping", *args), needle)


@test
def unbounded_inputs_are_refused():
    # Every case exits 2 before a packet is sent; each names the input, the count or the cap.
    assert_usage_error(nettool("ping", "-c", 1, "--file", "/dev/zero", timeout=10), "'/dev/zero': line 1 holds a NUL")
    with tempfile.TemporaryDirectory() as d:
        assert_usage_error(nettool("ping", "-c", 1, "--file", d), "is a directory")
    lines = "".join(f"127.4.{i // 250}.{1 + i % 250}\n" for i in range(65537))
    assert_usage_error(nettool("ping", "-c", 1, "-", input=lines, timeout=30), "65537 targets, at most 65536")
    assert_usage_error(nettool("ping", "-c", 1, "-", input="127.0.0.1" + " " * 2000 + "\n"),
                       "line 1 is longer than 1024 bytes")
    assert_usage_error(nettool("ping", "-c", 1, "127.5.0.0/16", "127.6.0.0/29", timeout=30),
                       "too many hosts: 65540 or more, at most 65536")


@test
def merged_duplicates_are_reported():
    proc = nettool("ping", "-c", 1, "-i", 0.01, "127.0.0.1", "localhost", "127.0.0.1", check=0)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "2 duplicate targets merged: localhost (same address as 127.0.0.1)" in lines[0], lines
    assert "--- 127.0.0.1 ping statistics ---" in proc.stdout, proc.stdout


@test
def deadline_and_min_replies():
    recs = ping_jsonl("-w", 0.3, "-i", 0.05, "127.0.0.1", timeout=30)  # the timeout is a hang guard
    summary = host_summary(recs)
    assert summary["received"] >= 3 and summary["transmitted"] <= 8, summary  # -w 0.3 / -i 0.05: ≤ 7 probes
    ping_jsonl("-c", 2, "-i", 0.01, "--min-replies", 2, "127.0.0.1", check=0)
    ping_jsonl("-c", 3, "-w", 5, "-i", 0.01, "127.0.0.1", check=0)


run_tests()
