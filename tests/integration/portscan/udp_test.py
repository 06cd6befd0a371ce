"""portscan --udp: a reply is open, ICMP port unreachable closed, silence (nft drop) open|filtered."""
from ntlib import jq_ok, run_tests, test
from scanlab import FILTERED_UDP, OPEN_UDP, TARGET4, TARGET6, lab, scan, states, summary

LAB = {}
PORTS = "9990-10010,53"


def check(where, host):
    proc, records = scan(LAB["ns"], where, host, "--udp", "-p", PORTS, "--all", "--timeout", "0.5", "--retries", 1)
    assert proc.returncode == 0, proc.stderr
    jq_ok(proc.stdout)
    got = states(records)
    expected = {p: "closed" for p in list(range(9990, 10011)) + [53]}
    expected.update({p: "open" for p in OPEN_UDP})
    expected.update({p: "open|filtered" for p in FILTERED_UDP})
    assert {p: s for (h, p), s in got.items() if h == host} == expected, got
    reasons = {r["port"]: r["reason"] for r in records if r["type"] == "port"}
    assert reasons[9999] == "udp-response" and reasons[9990] == "port-unreachable", reasons
    assert reasons[FILTERED_UDP[0]] == "no-response", reasons
    s = summary(records)
    assert (s["open"], s["closed"], s["open_filtered"], s["proto"]) == (2, 19, 1, "udp"), s


@test
def setup_lab():
    LAB["cm"] = lab()
    LAB["ns"] = LAB["cm"].__enter__()


@test
def udp_ipv4_veth():
    check("scanner", TARGET4)


@test
def udp_ipv6_veth():
    check("scanner", TARGET6)


@test
def udp_ipv4_loopback():
    check("target", "127.0.0.1")


@test
def udp_default_output_lists_only_open():
    proc, records = scan(LAB["ns"], "scanner", TARGET4, "--udp", "-p", PORTS, "--timeout", "0.3", "--retries", 0)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p for (_, p) in states(records)) == sorted(OPEN_UDP), records


@test
def teardown_lab():
    LAB["cm"].__exit__(None, None, None)


run_tests()
