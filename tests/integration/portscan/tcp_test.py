"""portscan: connect and SYN scans over all 65535 TCP ports give exactly the ground truth (open ports =
the listeners, filtered = the nft drops, closed = the rest), IPv4 and IPv6, on loopback and over a veth."""
from ntlib import jq_ok, run_tests, test
from scanlab import (FILTERED_TCP, OPEN_TCP, TARGET4, TARGET6, assert_ground_truth, lab, scan, summary)

LAB = {}


def full_scan(where, host, method):
    proc, records = scan(LAB["ns"], where, host, "-p", "-", method, "--all", "--seed", 7)
    assert proc.returncode == 0, f"exit {proc.returncode}: {proc.stderr}"
    assert proc.stderr == "", proc.stderr
    jq_ok(proc.stdout)
    assert summary(records)["method"] == method.lstrip("-"), summary(records)
    return records


@test
def setup_lab():
    LAB["cm"] = lab()
    LAB["ns"] = LAB["cm"].__enter__()


@test
def connect_ipv4_veth():
    assert_ground_truth(full_scan("scanner", TARGET4, "--connect"), TARGET4, OPEN_TCP, FILTERED_TCP)


@test
def connect_ipv6_veth():
    assert_ground_truth(full_scan("scanner", TARGET6, "--connect"), TARGET6, OPEN_TCP, FILTERED_TCP)


@test
def connect_ipv4_loopback():
    assert_ground_truth(full_scan("target", "127.0.0.1", "--connect"), "127.0.0.1", OPEN_TCP, FILTERED_TCP)


@test
def connect_ipv6_loopback():
    assert_ground_truth(full_scan("target", "::1", "--connect"), "::1", OPEN_TCP, FILTERED_TCP)


@test
def syn_ipv4_veth():
    assert_ground_truth(full_scan("scanner", TARGET4, "--syn"), TARGET4, OPEN_TCP, FILTERED_TCP)


@test
def syn_ipv6_veth():
    assert_ground_truth(full_scan("scanner", TARGET6, "--syn"), TARGET6, OPEN_TCP, FILTERED_TCP)


@test
def syn_ipv4_loopback():
    assert_ground_truth(full_scan("target", "127.0.0.1", "--syn"), "127.0.0.1", OPEN_TCP, FILTERED_TCP)


@test
def syn_ipv6_loopback():
    assert_ground_truth(full_scan("target", "::1", "--syn"), "::1", OPEN_TCP, FILTERED_TCP)


@test
def syn_is_the_default_with_privilege():
    proc, records = scan(LAB["ns"], "scanner", TARGET4, "-p", "22,23")
    assert proc.returncode == 0, proc.stderr
    assert summary(records)["method"] == "syn"


@test
def banner_is_read_and_escaped():
    for method in ("--connect", "--syn"):
        proc, records = scan(LAB["ns"], "scanner", TARGET4, "-p", "22,80", method, "--banner")
        assert proc.returncode == 0, proc.stderr
        ports = {r["port"]: r for r in records if r["type"] == "port"}
        assert ports[22]["banner"] == "SSH-2.0-nettool-test\\r\\n", ports[22]
        assert ports[22]["service"] == "ssh", ports[22]
        assert ports[80]["banner"] == "", ports[80]


@test
def teardown_lab():
    LAB["cm"].__exit__(None, None, None)


run_tests()
