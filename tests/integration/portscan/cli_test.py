"""portscan: usage errors, --expect-* exit codes, output formats (jq parses all), privilege handling,
target forms (CIDR, ranges, --file, --exclude)."""
import json
import os
import subprocess
import tempfile

from ntlib import NETTOOL, assert_usage_error, jq_ok, jsonl, nettool, run_tests, test
from scanlab import OPEN_TCP, TARGET4, TARGET6, lab, scan, states, summary

LAB = {}


@test
def malformed_input_is_a_usage_error():
    cases = [
        (["127.0.0.1", "-p", "0"], "'0'"),
        (["127.0.0.1", "-p", "70000"], "'70000'"),
        (["127.0.0.1", "-p", "5-1"], "'5-1'"),
        (["127.0.0.1", "-p", "80,,81"], "'80,,81'"),
        (["10.0.0.0/33"], "'10.0.0.0/33'"),
        (["fd00::/64"], "'fd00::/64'"),
        (["10.0.0.9-3"], "'10.0.0.9-3'"),
        (["1.2.3"], "'1.2.3'"),
        (["127.0.0.1", "--shard", "1/4"], "--seed"),
        (["127.0.0.1", "--shard", "5/4", "--seed", "1"], "'5/4'"),
        (["127.0.0.1", "--seed", "x"], "'x'"),
        (["127.0.0.1", "--syn", "--udp"], "one scan type"),
        (["127.0.0.1", "--top", "5000"], "--top"),
        (["127.0.0.1", "--top", "5", "-p", "80"], "-p"),
        (["127.0.0.1", "--timeout", "0"], "--timeout"),
        (["127.0.0.1", "--exclude", "127.0.0.1"], "no targets"),
        (["127.0.0.1", "--file", "/nonexistent/targets"], "/nonexistent/targets"),
        (["127.0.0.1", "-p", ""], "-p ''"),
        (["127.0.0.1", "--top", "0"], "--top '0'"),
        (["127.0.0.1", "--seed", str(2**53)], "2^53"),
        (["127.0.0.1", "--max-targets", "0"], "--max-targets"),
        (["127.0.0.1", "--file", "/dev/zero"], "--file '/dev/zero': line 1 holds a NUL byte"),
        (["127.0.0.1", "--file", "/tmp"], "--file '/tmp': is a directory"),
        ([], "no targets"),
    ]
    for args, needle in cases:
        assert_usage_error(nettool("portscan", *args), needle)


@test
def setup_lab():
    LAB["cm"] = lab()
    LAB["ns"] = LAB["cm"].__enter__()


@test
def expect_open_and_closed_set_the_exit_code():
    ns = LAB["ns"]
    for args, code in ((["--expect-open", "22,80"], 0), (["--expect-open", "22,23"], 1),
                       (["--expect-closed", "23"], 0), (["--expect-closed", "22"], 1),
                       (["--expect-open", "81"], 1)):
        for method in ("--connect", "--syn"):
            proc, records = scan(ns, "scanner", TARGET4, "-p", "22", method, *args, "--timeout", "0.3")
            assert proc.returncode == code, f"{args} {method}: exit {proc.returncode}, {proc.stderr}"
            assert summary(records)["expectations_failed"] == (0 if code == 0 else 1)


@test
def internet_sized_targets_exit_2_before_sending():
    # Run in the lab's scanner namespace (no route beyond 10.77.0.0/24), so even a build without the
    # check could not reach anything; the check exits before a socket is opened.
    ns = LAB["ns"]
    proc, recs = scan(ns, "scanner", "0.0.0.0/0", "-p", "80", timeout=10)
    assert proc.returncode == 2 and [r["type"] for r in recs] == ["error"], (proc.returncode, proc.stdout[:500])
    assert "3702390016 target addresses outside loopback and private ranges" in proc.stderr, proc.stderr
    assert "--max-targets 3702390016" in proc.stderr, proc.stderr
    proc, recs = scan(ns, "scanner", "224.0.0.1", "-p", "80", timeout=10)
    assert proc.returncode == 2 and "special-purpose" in proc.stderr, proc.stderr
    assert [r["type"] for r in recs] == ["error"], recs


@test
def failed_expectations_are_named():
    ns = LAB["ns"]
    proc, recs = scan(ns, "scanner", TARGET4, "-p", "22", "--connect", "--expect-open", "22,23",
                      "--expect-closed", "80", "--timeout", "0.3")
    assert proc.returncode == 1, proc.stderr
    failed = sorted(summary(recs)["failed_expectations"], key=lambda f: f["port"])
    assert failed == [{"host": TARGET4, "port": 23, "state": "closed", "expected": "open"},
                      {"host": TARGET4, "port": 80, "state": "open", "expected": "closed"}], failed
    cmd = ["ip", "netns", "exec", ns["scanner"], NETTOOL, "portscan", TARGET4, "-p", "22", "--connect",
           "--expect-open", "23", "--timeout", "0.3"]
    text = subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout
    assert f"1 expectation(s) failed: {TARGET4}:23 closed (expected open)" in text, text


@test
def all_is_sorted_by_host_then_port():
    ns = LAB["ns"]
    cmd = ["ip", "netns", "exec", ns["scanner"], NETTOOL, "portscan", "10.77.0.1-10.77.0.2", "-p", "20-25,80",
           "--connect", "--all", "--timeout", "0.3", "--retries", "0"]
    text = subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout
    keys = []
    for line in text.splitlines():
        if "/tcp" in line:
            host, port = line.split()[0].split("/")[0].rsplit(":", 1)
            keys.append((tuple(int(x) for x in host.split(".")), int(port)))
    assert len(keys) == 14 and keys == sorted(keys), text
    doc = json.loads(subprocess.run([*cmd, "--json"], capture_output=True, text=True, timeout=60).stdout)
    ports = [(r["host"], r["port"]) for r in doc["records"] if r["type"] == "port"]
    assert ports == sorted(ports) and len(ports) == 14, ports


@test
def every_format_parses():
    ns = LAB["ns"]
    base = ["ip", "netns", "exec", ns["scanner"], NETTOOL, "portscan", TARGET4, "-p", "20-25,80", "--connect"]
    out = subprocess.run([*base, "--json"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    doc = json.loads(jq_ok(out.stdout))
    assert isinstance(doc, (dict, list)), doc
    out = subprocess.run([*base, "--jsonl", "--all"], capture_output=True, text=True, timeout=60)
    recs = jsonl(out.stdout)
    jq_ok(out.stdout)
    assert [r["type"] for r in recs][0] == "scan" and recs[-1]["type"] == "summary"
    port = next(r for r in recs if r["type"] == "port" and r["port"] == 22)
    for key in ("host", "port", "proto", "state", "reason", "service", "rtt_ms"):
        assert key in port, (key, port)
    assert isinstance(port["rtt_ms"], float) and port["service"] == "ssh"
    for key in ("targets", "ports", "open", "closed", "filtered", "duration_s", "packets_sent", "rate_pps"):
        assert key in recs[-1], (key, recs[-1])
    out = subprocess.run([*base, "--format", "list"], capture_output=True, text=True, timeout=60)
    assert sorted(out.stdout.split()) == [f"{TARGET4}:22", f"{TARGET4}:80"], out.stdout
    out = subprocess.run([*base], capture_output=True, text=True, timeout=60)
    assert f"{TARGET4}:22/tcp" in out.stdout and "ssh" in out.stdout and "1 host" in out.stdout, out.stdout
    assert out.stderr == "", "progress must not be drawn when stderr is not a terminal"


@test
def target_forms():
    ns = LAB["ns"]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write(f"# scan list\n{TARGET4}\n\n{TARGET6}  # v6 too\n")
    try:
        proc, recs = scan(ns, "scanner", "--file", f.name, "-p", "22")
    finally:
        os.unlink(f.name)
    assert proc.returncode == 0, proc.stderr
    assert set(states(recs)) == {(TARGET4, 22), (TARGET6, 22)}, recs
    proc, recs = scan(ns, "scanner", "10.77.0.0/30", "-p", "22", "--all", "--exclude", "10.77.0.0,10.77.0.3",
                      "--connect", "--timeout", "0.3", "--retries", 0)
    assert {h for (h, _) in states(recs)} == {"10.77.0.1", "10.77.0.2"}, recs
    proc, recs = scan(ns, "scanner", "fd77::1-fd77::2", "-p", "22", "--all", "--connect")
    assert set(states(recs)) == {("fd77::1", 22), ("fd77::2", 22)}, recs
    # -4/-6 are global options, before or after the command name.
    for where in (["-4", "portscan", "localhost"], ["portscan", "localhost", "-4"]):
        cmd = ["ip", "netns", "exec", ns["scanner"], NETTOOL, *where, "-p", "1", "--all", "--connect", "--jsonl"]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        assert set(states(jsonl(out.stdout))) == {("127.0.0.1", 1)}, (out.stderr, out.stdout)
    proc, recs = scan(ns, "scanner", TARGET4, "--top", "100", "--connect")
    assert summary(recs)["ports"] == 100 and summary(recs)["open"] == 3, summary(recs)  # 22, 80, 5000


@test
def rate_is_capped():
    proc, recs = scan(LAB["ns"], "scanner", TARGET4, "-p", "1-600", "--rate", "1000", "--syn")
    s = summary(recs)
    assert proc.returncode == 0, proc.stderr
    assert 0.5 <= s["duration_s"] and s["rate_pps"] <= 1100, s


@test
def without_privilege_connect_is_the_fallback_and_syn_exit_4():
    ns = LAB["ns"]
    unpriv = ["ip", "netns", "exec", ns["target"], "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
              "--inh-caps=-all", NETTOOL, "portscan", "127.0.0.1", "-p", ",".join(map(str, OPEN_TCP))]
    out = subprocess.run([*unpriv, "--jsonl"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    recs = jsonl(out.stdout)
    assert recs[0]["type"] == "notice" and "CAP_NET_RAW" in recs[0]["message"], recs[0]
    assert summary(recs)["method"] == "connect" and summary(recs)["open"] == len(OPEN_TCP), summary(recs)
    out = subprocess.run([*unpriv, "--syn"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 4, (out.returncode, out.stderr)
    assert "CAP_NET_RAW" in out.stderr and len(out.stderr.strip().splitlines()) == 1, out.stderr


@test
def teardown_lab():
    LAB["cm"].__exit__(None, None, None)


run_tests()
