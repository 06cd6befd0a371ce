#!/usr/bin/env python3
"""sockopt inspect against independent readers of the same sockets: python3's socket.getsockopt (in
holder.py, the process whose sockets we read through --pid), `ss -tnoi` for TCP_INFO of a live loopback
connection, /proc/PID/fd and /proc/PID/fdinfo for identity; exit codes for every refusal, including
--pid as `nobody` against a root process (exit 4 naming CAP_SYS_PTRACE)."""
import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

from ntlib import (NETTOOL, assert_usage_error, jq_ok, jsonl, nettool, of_type, require_peer, run_tests, skip,
                   test)

HOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "holder.py")
KINDS = ["tcp", "tcp6", "udp", "udp6", "unix-stream", "unix-dgram", "unix-seqpacket", "raw", "raw6"]


@contextlib.contextmanager
def holder(*args):
    """holder.py running (as this user); yields its JSON description. Stopped by closing its stdin."""
    proc = subprocess.Popen([sys.executable, HOLDER, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    try:
        line = proc.stdout.readline()
        assert line, "holder.py printed nothing"
        yield json.loads(line)
    finally:
        proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def sockets_of(*args, check=0):
    out = nettool("sockopt", "inspect", *args, "--jsonl", check=check).stdout
    return of_type(jsonl(out), "socket")


def one_socket(*args):
    recs = sockets_of(*args)
    assert len(recs) == 1, recs
    return recs[0]


def check_errors_are_nulls(rec):
    for level, errors in rec["option_errors"].items():
        for key, name in errors.items():
            if key in ("info", "cc_info"):
                continue
            assert rec["options"][level][key] is None, (level, key)
            assert re.fullmatch(r"E[A-Z0-9]+|skipped", name), name


@test
def every_kind_of_fresh_socket_is_decoded():
    can_raw = os.geteuid() == 0
    for kind in KINDS:
        if kind.startswith("raw") and not can_raw:
            continue
        p = nettool("sockopt", "inspect", "--new", kind, "--json", check=0)
        jq_ok(p.stdout)
        doc = json.loads(p.stdout)
        socks = of_type(doc["records"], "socket")
        assert len(socks) == 1 and of_type(doc["records"], "summary"), kind
        rec = socks[0]
        assert rec["source"] == "new" and rec["pid"] is None, rec
        assert rec["options"]["socket"]["domain"] == rec["family"], kind
        assert set(rec["options"]) >= {"socket"}, kind
        check_errors_are_nulls(rec)
        tcp = kind in ("tcp", "tcp6")
        assert ("tcp_info" in rec) == tcp, kind
        if tcp:
            assert rec["tcp_info"]["state"] == "close"
            assert rec["tcp_info"]["length_bytes"] >= 104
            assert rec["options"]["tcp"]["congestion"] == open("/proc/sys/net/ipv4/tcp_congestion_control").read().strip()
        if kind.startswith("udp"):
            assert "udp" in rec["options"] and "tcp" not in rec["options"], kind
        if kind.endswith("6"):
            assert "ipv6_v6only" in rec["options"]["ipv6"], kind


@test
def values_agree_with_python_getsockopt():
    with holder() as h:
        for name in ("client", "server", "udp", "unix"):
            rec = one_socket("--pid", h["pid"], "--fd", h["fds"][name])
            opts = rec["options"]
            for key, want in h["readings"][name].items():
                level = ("tcp" if key in ("nodelay", "keepidle_s", "keepintvl_s", "user_timeout_ms", "congestion",
                                          "maxseg_bytes") else "ip" if key in ("tos", "ttl") else "socket")
                assert opts[level][key] == want, (name, key, opts[level][key], want)
        tcp6 = one_socket("--pid", h["pid"], "--fd", h["fds"]["tcp6"])
        assert tcp6["options"]["ipv6"]["ipv6_v6only"] is h["v6only"] is True
        udp = one_socket("--pid", h["pid"], "--fd", h["fds"]["udp"])
        assert udp["options"]["ip"]["mtu_discover"] == "do"
        assert udp["local_address"] == h["udp_address"]
        unix = one_socket("--pid", h["pid"], "--fd", h["fds"]["unix"])
        assert unix["options"]["socket"]["peercred"]["pid"] == h["pid"]  # a socketpair: the peer is itself
        assert unix["family"] == "unix" and unix["protocol"] == 0


def ss_fields(port):
    """rtt (ms), cwnd, mss of the established connection from port `port`'s client side, as ss prints them."""
    out = subprocess.run(["ss", "-tnoiH", "state", "established", f"( dport = :{port} )"], capture_output=True,
                         text=True, check=True).stdout
    fields = {}
    for key in ("rtt", "cwnd", "mss", "rcv_space", "bytes_acked", "bytes_received", "segs_out", "segs_in"):
        m = re.search(rf"\b{key}:([\d.]+)", out)
        assert m, f"ss shows no {key}: {out!r}"
        fields[key] = float(m.group(1))
    m = re.search(r"\brtt:[\d.]+/([\d.]+)", out)
    fields["rttvar"] = float(m.group(1))
    return fields


@test
def tcp_info_agrees_with_ss():
    require_peer("ss")
    with holder() as h:
        rec = one_socket("--pid", h["pid"], "--fd", h["fds"]["client"])
        ss = ss_fields(h["port"])
        ti = rec["tcp_info"]
        assert ti["state"] == "established" and rec["peer_address"] == f"127.0.0.1:{h['port']}"
        # ss prints rtt and rttvar in ms with 3 decimals; the connection is idle, so nothing moves.
        assert abs(ti["rtt_us"] / 1000 - ss["rtt"]) <= 0.0011, (ti["rtt_us"], ss["rtt"])
        assert abs(ti["rttvar_us"] / 1000 - ss["rttvar"]) <= 0.0011, (ti["rttvar_us"], ss["rttvar"])
        assert ti["snd_cwnd"] == ss["cwnd"], (ti["snd_cwnd"], ss["cwnd"])
        assert ti["snd_mss_bytes"] == ss["mss"], (ti["snd_mss_bytes"], ss["mss"])
        assert ti["rcv_space_bytes"] == ss["rcv_space"]
        assert ti["bytes_acked"] == ss["bytes_acked"] and ti["bytes_received"] == ss["bytes_received"]
        assert ti["bytes_acked"] >= 20000 and ti["bytes_received"] >= 20000
        assert rec["tcp_cc_info"]["algorithm"] == "reno" and rec["options"]["tcp"]["congestion"] == "reno"


@test
def identity_agrees_with_proc_fd_and_fdinfo():
    with holder() as h:
        pid = h["pid"]
        recs = sockets_of("--pid", pid)
        proc_sockets = {}
        for name in os.listdir(f"/proc/{pid}/fd"):
            link = os.readlink(f"/proc/{pid}/fd/{name}")
            if link.startswith("socket:["):
                proc_sockets[int(name)] = int(link[8:-1])
        assert {r["fd"]: r["inode"] for r in recs} == proc_sockets
        for r in recs:
            assert r["pid"] == pid and r["source"] == "pid"
            fdinfo = open(f"/proc/{pid}/fdinfo/{r['fd']}").read()
            assert int(re.search(r"ino:\s+(\d+)", fdinfo).group(1)) == r["inode"]
            flags = int(re.search(r"flags:\s+([0-7]+)", fdinfo).group(1), 8)
            assert bool(flags & os.O_NONBLOCK) == r["nonblocking"], (r["fd"], oct(flags))
        by_fd = {r["fd"]: r for r in recs}
        assert by_fd[h["fds"]["listener"]]["listening"] is True
        assert by_fd[h["fds"]["listener"]]["tcp_info"]["state"] == "listen"
        assert by_fd[h["fds"]["client"]]["listening"] is False
        assert by_fd[h["fds"]["server"]]["nonblocking"] is True
        assert by_fd[h["fds"]["server"]]["peer_address"] == h["client_address"]
        # SO_ERROR would clear the process's pending error: not read on its sockets.
        assert all(r["option_errors"]["socket"]["error"] == "skipped" for r in recs)


def runnable_by_nobody():
    """A copy of nettool that `nobody` may execute (the build tree may not be reachable for it)."""
    d = tempfile.mkdtemp(prefix="nettool-sockopt-")
    os.chmod(d, 0o755)
    path = os.path.join(d, "nettool")
    shutil.copy2(NETTOOL, path)
    os.chmod(path, 0o755)
    return d, path


@test
def pid_without_ptrace_rights_is_exit_4_naming_the_capability():
    if os.geteuid() != 0:
        skip("needs root: the target runs as root, nettool as nobody")
    require_peer("setpriv")
    d, binary = runnable_by_nobody()
    try:
        with holder() as h:
            for extra in ([], ["--fd", str(h["fds"]["client"])]):
                cmd = ["setpriv", "--reuid", "nobody", "--regid", "nogroup", "--clear-groups", binary, "sockopt",
                       "inspect", "--pid", str(h["pid"]), *extra]
                p = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
                assert p.returncode == 4, (extra, p.returncode, p.stderr)
                assert "CAP_SYS_PTRACE" in p.stderr and "ptrace_scope" in p.stderr, p.stderr
                assert len(p.stderr.strip().splitlines()) == 1, p.stderr
    finally:
        shutil.rmtree(d)


@test
def inherited_descriptor():
    with holder() as h:
        s = socket.create_connection(("127.0.0.1", h["port"]))
        try:
            fd = s.fileno()
            p = subprocess.run([NETTOOL, "sockopt", "inspect", "--fd", str(fd), "--jsonl"], pass_fds=[fd],
                               capture_output=True, text=True, timeout=30)
            assert p.returncode == 0, p.stderr
            rec = of_type(jsonl(p.stdout), "socket")[0]
            assert rec["source"] == "fd" and rec["fd"] == fd
            assert rec["local_address"] == "%s:%d" % s.getsockname()
            assert rec["peer_address"] == f"127.0.0.1:{h['port']}"
            assert rec["tcp_info"]["state"] == "established"
        finally:
            s.close()
    r, w = os.pipe()
    try:
        p = subprocess.run([NETTOOL, "sockopt", "inspect", "--fd", str(r)], pass_fds=[r], capture_output=True,
                           text=True, timeout=30)
        assert_usage_error(p, f"--fd {r}", "not a socket")
    finally:
        os.close(r)
        os.close(w)
    assert_usage_error(nettool("sockopt", "inspect", "--fd", "250"), "--fd 250", "not an open descriptor")


@test
def listening_socket_passed_by_systemd_socket_activate():
    require_peer("systemd-socket-activate")
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    # It listens, and on the first connection execs nettool with the listening socket as fd 3.
    with subprocess.Popen(["systemd-socket-activate", "-l", f"127.0.0.1:{port}", NETTOOL, "sockopt", "inspect",
                           "--fd", "3", "--jsonl"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as p:
        try:
            for _ in range(100):
                with contextlib.suppress(OSError):
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                time.sleep(0.05)
            out, err = p.communicate(timeout=20)
        finally:
            if p.poll() is None:
                p.kill()
    assert p.returncode == 0, err
    rec = of_type(jsonl(out), "socket")[0]
    assert rec["source"] == "fd" and rec["fd"] == 3 and rec["listening"] is True
    assert rec["local_address"] == f"127.0.0.1:{port}" and rec["options"]["socket"]["reuseaddr"] is True


@test
def connect_set_and_effective_values():
    with holder() as h:
        rec = one_socket("--connect", f"127.0.0.1:{h['port']}", "--set", "SO_RCVBUF=4096", "--set", "tcp_nodelay=on",
                         "--set", "TCP_CONGESTION=reno", "--set", "IP_TOS=0x10")
        assert rec["source"] == "connect" and rec["tcp_info"]["state"] == "established"
        sets = {s["option"]: s for s in rec["set"]}
        assert sets["SO_RCVBUF"]["requested"] == 4096 and sets["SO_RCVBUF"]["effective"] == 8192
        assert "doubled" in sets["SO_RCVBUF"]["note"]
        assert sets["TCP_NODELAY"]["effective"] is True and sets["TCP_NODELAY"]["note"] == ""
        assert rec["options"]["tcp"]["congestion"] == "reno" and rec["options"]["ip"]["tos"] == 16
        rmem_max = int(open("/proc/sys/net/core/rmem_max").read())
        rec = one_socket("--new", "udp", "--set", f"SO_RCVBUF={rmem_max + 4096}")
        assert rec["set"][0]["effective"] == 2 * rmem_max and "net.core.rmem_max" in rec["set"][0]["note"]
        text = nettool("sockopt", "inspect", "--new", "udp", "--set", "SO_RCVBUF=4096", check=0).stdout
        assert re.search(r"SO_RCVBUF\s+requested 4096 bytes, effective 8192 bytes: doubled", text), text


@test
def listen_and_accept_a_live_connection():
    with subprocess.Popen([NETTOOL, "sockopt", "inspect", "--listen", "127.0.0.1:0", "--accept", "--jsonl",
                           "--timeout", "20"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as p:
        try:
            first = json.loads(p.stdout.readline())
            assert first["source"] == "listen" and first["listening"] is True
            assert first["tcp_info"]["state"] == "listen"
            host, port = first["local_address"].rsplit(":", 1)
            c = socket.create_connection((host, int(port)))
            client_address = "%s:%d" % c.getsockname()
            rest = jsonl(p.stdout.read())
            c.close()
            assert p.wait(timeout=20) == 0
        finally:
            if p.poll() is None:
                p.kill()
        accepted = of_type(rest, "socket")[0]
        assert accepted["source"] == "accept" and accepted["tcp_info"]["state"] == "established"
        assert accepted["peer_address"] == client_address
        assert of_type(rest, "summary")[0]["sockets"] == 2


@test
def text_output_groups_by_level():
    out = nettool("sockopt", "inspect", "--new", "tcp6", check=0).stdout
    for heading in ("SOL_SOCKET", "IPPROTO_IP", "IPPROTO_IPV6", "IPPROTO_TCP", "TCP_INFO", "TCP_CC_INFO"):
        assert re.search(rf"^  {heading}$", out, re.M), heading
    assert re.search(r"^    SO_RCVBUF\s+\d+ bytes$", out, re.M)
    assert re.search(r"^    TCP_KEEPIDLE\s+\d+ s$", out, re.M)
    assert re.search(r"^    SO_PEERNAME\s+- \(ENOTCONN\)$", out, re.M)
    assert re.search(r"^--- 1 socket, \d+ options read", out, re.M)


@test
def exit_codes():
    assert_usage_error(nettool("sockopt", "inspect"), "--new")
    assert_usage_error(nettool("sockopt", "inspect", "--new", "tcp", "--fd", "0"), "one of")
    assert_usage_error(nettool("sockopt", "inspect", "--new", "sctp"), "'sctp'")
    assert_usage_error(nettool("sockopt", "inspect", "--new", "tcp", "--set", "SO_NOPE=1"), "SO_NOPE")
    assert_usage_error(nettool("sockopt", "inspect", "--new", "udp", "--set", "TCP_NODELAY=1"), "does not apply")
    assert_usage_error(nettool("sockopt", "inspect", "--new", "tcp", "--set", "TCP_NODELAY=maybe"), "TCP_NODELAY=maybe")
    assert_usage_error(nettool("sockopt", "inspect", "--new", "tcp", "--set", "SO_TYPE=1"), "read-only")
    assert_usage_error(nettool("sockopt", "inspect", "--pid", "1", "--set", "SO_RCVBUF=1"), "--set")
    assert_usage_error(nettool("sockopt", "inspect", "--accept", "--new", "tcp"), "--accept")
    assert_usage_error(nettool("sockopt", "inspect", "--pid", str(2**22 + 12345)), "no such process")
    assert_usage_error(nettool("sockopt", "inspect", "--new", "tcp", "--timeout", "nan"), "--timeout")
    with holder() as h:
        assert_usage_error(nettool("sockopt", "inspect", "--pid", h["pid"], "--fd", "200"), "--fd 200")
        assert_usage_error(nettool("sockopt", "inspect", "--pid", h["pid"], "--fd", "0"), "not a socket")
    # A process without sockets: a negative answer.
    with subprocess.Popen(["sleep", "30"]) as sleeper:
        try:
            p = nettool("sockopt", "inspect", "--pid", sleeper.pid, "--json", check=1)
            doc = json.loads(p.stdout)
            assert of_type(doc["records"], "summary")[0]["sockets"] == 0
        finally:
            sleeper.kill()
    # Nothing listens on the port we just closed: a runtime failure, with the address named.
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    p = nettool("sockopt", "inspect", "--connect", f"127.0.0.1:{port}", check=3)
    assert f"127.0.0.1:{port}" in p.stderr and "refused" in p.stderr, p.stderr
    p = nettool("sockopt", "inspect", "--connect", f"127.0.0.1:{port}", "--json", check=3)
    assert of_type(json.loads(p.stdout)["records"], "error"), p.stdout
    if os.geteuid() != 0:
        p = nettool("sockopt", "inspect", "--new", "raw", check=4)
        assert "CAP_NET_RAW" in p.stderr


run_tests()
