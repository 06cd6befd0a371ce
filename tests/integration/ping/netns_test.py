"""nettool ping in namespaces this test builds: veth pairs, a lossy peer (nft), a router whose TTL
expiry produces time-exceeded errors, and the unprivileged datagram-socket path."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ntlib import NETTOOL, Netns, jq_ok, jsonl, nettool, of_type, run_tests, sh, test  # noqa: E402

NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all"]


def run_in(ns, *args, user=False, timeout=60):
    cmd = ["ip", "netns", "exec", ns, *(NOBODY if user else []), NETTOOL, "ping", *map(str, args)]
    import subprocess
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def summary(proc):
    jq_ok(proc.stdout)
    recs = jsonl(proc.stdout)
    sums = [r for r in of_type(recs, "summary") if r["scope"] == "host"]
    assert len(sums) == 1, proc.stdout[-2000:]
    return recs, sums[0]


@test
def veth_pair_and_missing_host():
    with Netns(["a", "b"]) as ns:
        ns.link("a", "10.201.0.1/24", "b", "10.201.0.2/24")
        proc = run_in(ns["a"], "--jsonl", "-c", 3, "-i", 0.01, "10.201.0.2")
        assert proc.returncode == 0, proc.stderr
        recs, s = summary(proc)
        assert s["received"] == 3 and all(r["from"] == "10.201.0.2" for r in of_type(recs, "reply")), s
        proc = run_in(ns["a"], "--jsonl", "-c", 3, "-i", 0.2, "-W", 0.5, "10.201.0.77")
        assert proc.returncode == 1, (proc.returncode, proc.stderr)
        recs, s = summary(proc)
        assert s["transmitted"] == 3 and s["received"] == 0 and s["loss_percent"] == 100, s
        assert not of_type(recs, "reply")


def drop_counter(ns):
    out = ns.exec("b", "nft list chain ip nettool_loss input").stdout
    m = re.search(r"counter packets (\d+)", out)
    assert m, out
    return int(m.group(1))


@test
def random_loss_matches_nft_counter():
    with Netns(["a", "b"]) as ns:
        ns.link("a", "10.202.0.1/24", "b", "10.202.0.2/24")
        ns.exec("b", "nft add table ip nettool_loss")
        ns.exec("b", "nft 'add chain ip nettool_loss input { type filter hook input priority 0; }'")
        ns.exec("b", "nft add rule ip nettool_loss input icmp type echo-request numgen random mod 100 '<' 30 "
                     "counter drop")
        proc = run_in(ns["a"], "--jsonl", "-c", 2000, "-i", 0.002, "-W", 0.5, "10.202.0.2", timeout=90)
        assert proc.returncode == 0, proc.stderr
        recs, s = summary(proc)
        dropped = drop_counter(ns)
        assert s["transmitted"] == 2000, s
        assert 25 <= s["loss_percent"] <= 35, s
        assert s["received"] == 2000 - dropped, (s, dropped)
        assert len(of_type(recs, "timeout")) == dropped


@test
def duplicates_and_corrupted_replies():
    with Netns(["a", "b"]) as ns:
        ia, ib = ns.link("a", "10.204.0.1/24", "b", "10.204.0.2/24")
        # b sends every echo reply twice (or more: the copy passes the egress hook again)...
        ns.exec("b", f"nft 'add table netdev twice; add chain netdev twice e {{ type filter hook egress device {ib} "
                     f"priority 0; }}; add rule netdev twice e ip protocol icmp icmp type echo-reply dup to {ib}'")
        proc = run_in(ns["a"], "--jsonl", "-c", 3, "-i", 0.05, "10.204.0.2")
        assert proc.returncode == 0, proc.stderr
        recs, s = summary(proc)
        dups = [r for r in of_type(recs, "reply") if r["duplicate"]]
        assert s["received"] == 3 and s["duplicates"] == len(dups) >= 3, s
        assert sorted({d["seq"] for d in dups}) == [1, 2, 3], dups
        assert "(DUP!)" in run_in(ns["a"], "-c", 1, "10.204.0.2").stdout
        # ...and rewrites a payload byte of the reply to probe 2 (the ICMP checksum no longer matches).
        ns.exec("b", "nft flush ruleset")
        ns.exec("b", "nft 'add table ip m; add chain ip m o { type filter hook output priority 0; }; "
                     "add rule ip m o icmp type echo-reply icmp sequence 2 @th,96,8 set 0xee'")
        proc = run_in(ns["a"], "--jsonl", "-c", 3, "-i", 0.05, "10.204.0.2")
        recs, s = summary(proc)
        bad = [r for r in of_type(recs, "reply") if r["corrupted"]]
        assert [r["seq"] for r in bad] == [2] and bad[0]["bad_checksum"], bad
        assert s["corrupted"] == 1 and s["received"] == 3, s


def routed(ns):
    ns.link("a", "10.203.1.1/24", "r", "10.203.1.254/24")
    ns.link("r", "10.203.2.254/24", "b", "10.203.2.1/24")
    ns.exec("a", "ip route add default via 10.203.1.254")
    ns.exec("b", "ip route add default via 10.203.2.254")
    ns.exec("r", "sysctl -qw net.ipv4.ip_forward=1")
    ns.exec("r", "sysctl -qw net.ipv4.icmp_ratelimit=0")  # one time-exceeded per probe


@test
def ttl_expiring_at_router():
    with Netns(["a", "r", "b"]) as ns:
        routed(ns)
        proc = run_in(ns["a"], "--jsonl", "-c", 3, "-i", 0.05, "-t", 1, "10.203.2.1")
        assert proc.returncode == 1, (proc.returncode, proc.stderr)
        recs, s = summary(proc)
        errors = of_type(recs, "error")
        assert [e["seq"] for e in errors] == [1, 2, 3], errors
        for e in errors:
            assert e["from"] == "10.203.1.254" and e["icmp_type"] == 11 and e["icmp_code"] == 0, e
            assert e["reason"] == "Time to live exceeded" and e["host"] == "10.203.2.1", e
        assert s["errors"] == 3 and s["received"] == 0, s
        text = run_in(ns["a"], "-c", 1, "-t", 1, "10.203.2.1").stdout
        assert "From 10.203.1.254 icmp_seq=1 Time to live exceeded" in text, text
        proc = run_in(ns["a"], "--jsonl", "-c", 2, "-i", 0.05, "-t", 2, "10.203.2.1")
        assert proc.returncode == 0 and summary(proc)[1]["received"] == 2, proc.stdout
        assert all(r["ttl"] == 63 for r in of_type(jsonl(proc.stdout), "reply"))


@test
def datagram_socket_as_unprivileged_user():
    with Netns(["a", "r", "b"]) as ns:
        routed(ns)
        ns.exec("a", "sysctl -qw net.ipv4.ping_group_range='0 2147483647'")
        for target in ("127.0.0.1", "::1", "10.203.2.1"):
            proc = run_in(ns["a"], "--jsonl", "-c", 2, "-i", 0.01, target, user=True)
            assert proc.returncode == 0, (target, proc.stderr)
            recs, s = summary(proc)
            assert of_type(recs, "start")[0]["socket"] == "dgram", recs[0]
            assert s["received"] == 2, s
            assert all(isinstance(r["ttl"], int) for r in of_type(recs, "reply")), recs
        # ICMP errors reach a datagram socket through its error queue (IP_RECVERR).
        proc = run_in(ns["a"], "--jsonl", "-c", 2, "-i", 0.05, "-t", 1, "10.203.2.1", user=True)
        assert proc.returncode == 1, proc.stderr
        errors = of_type(jsonl(proc.stdout), "error")
        assert len(errors) == 2 and all(e["from"] == "10.203.1.254" and e["icmp_type"] == 11 for e in errors), errors
        # Flooding stays a privileged operation.
        proc = run_in(ns["a"], "-f", "-c", 2, "127.0.0.1", user=True)
        assert proc.returncode == 4, (proc.returncode, proc.stderr)


@test
def flood_and_short_interval_need_real_uid_0_not_cap_net_raw():
    # As with a `setcap cap_net_raw+ep` install: an ordinary user who holds CAP_NET_RAW.
    with_cap = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=+net_raw",
                "--ambient-caps=+net_raw"]
    with Netns(["a"]) as ns:
        for args in (["-f", "-c", 2], ["-i", 0.001, "-c", 2]):
            cmd = ["ip", "netns", "exec", ns["a"], *with_cap, NETTOOL, "ping", *map(str, args), "127.0.0.1"]
            import subprocess
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
            assert proc.returncode == 4, (args, proc.returncode, proc.stderr)
            assert "root only (real uid 0; this is uid 65534)" in proc.stderr, proc.stderr
            assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        # The capability itself is there: a plain ping over a raw socket works.
        cmd = ["ip", "netns", "exec", ns["a"], *with_cap, NETTOOL, "ping", "--socket", "raw", "-c", 1, "127.0.0.1"]
        proc = subprocess.run(list(map(str, cmd)), capture_output=True, text=True, timeout=30)
        assert proc.returncode == 0, proc.stderr
        # root still floods.
        proc = run_in(ns["a"], "-f", "-c", 2, "127.0.0.1")
        assert proc.returncode == 0, proc.stderr


@test
def no_permission_exits_4():
    with Netns(["a"]) as ns:
        ns.exec("a", "sysctl -qw net.ipv4.ping_group_range='1 0'")
        proc = run_in(ns["a"], "-c", 1, "127.0.0.1", user=True)
        assert proc.returncode == 4, (proc.returncode, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1, lines
        for needle in ("ping_group_range is '1 0'", "gid 65534", "setcap cap_net_raw+ep", "CAP_NET_RAW"):
            assert needle in lines[0], (needle, lines[0])
        ns.exec("a", "sysctl -qw net.ipv4.ping_group_range='0 2147483647'")
        proc = run_in(ns["a"], "--socket", "raw", "-c", 1, "127.0.0.1", user=True)
        assert proc.returncode == 4 and "setcap" in proc.stderr, proc.stderr


@test
def unresolvable_name_is_reported_and_others_pinged():
    with Netns(["a"]) as ns:
        # ip netns exec bind-mounts /etc/netns/NAME/resolv.conf: DNS goes to the namespace's own
        # loopback, where nothing listens, so the lookup fails at once and no query leaves.
        conf_dir = f"/etc/netns/{ns['a']}"
        os.makedirs(conf_dir, exist_ok=True)
        try:
            with open(f"{conf_dir}/resolv.conf", "w") as f:
                f.write("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n")
            proc = run_in(ns["a"], "--jsonl", "-c", 1, "no-such-host.nettool.invalid", "127.0.0.1")
            text = run_in(ns["a"], "-c", 1, "no-such-host.nettool.invalid", "127.0.0.1")
        finally:
            sh(f"rm -rf {conf_dir}", check=False)
        # Text: one line on stderr naming the host, nothing about it among the records on stdout.
        assert text.returncode == 2, (text.returncode, text.stderr)
        lines = text.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("nettool ping: resolving 'no-such-host"), lines
        assert "no-such-host" not in text.stdout and "1 received" in text.stdout, text.stdout
        assert proc.returncode == 2, (proc.returncode, proc.stderr)
        assert "no-such-host.nettool.invalid" in proc.stderr, proc.stderr
        recs = jsonl(proc.stdout)
        err = [e for e in of_type(recs, "error") if e["host"] == "no-such-host.nettool.invalid"]
        assert len(err) == 1 and err[0]["reason"], recs
        s = [r for r in of_type(recs, "summary") if r.get("host") == "127.0.0.1"]
        assert s and s[0]["received"] == 1, recs


run_tests()
