#!/usr/bin/env python3
"""Interop with peers nobody here wrote: socat and iperf (2.x) as senders (their datagrams counted as
foreign, with their source), socat UDP4-RECV and a python3 socket as receivers of nettool's datagrams
(checked against the documented header)."""
import struct
import subprocess
import time

from mclib import R4, S4, finish, lab, send, start_receiver, summaries, wait_until
from ntlib import of_type, require_peer, run_tests, sh, test

HEADER = struct.Struct(">4sBBHIIQq")


def parse(datagram):
    magic, version, _, hlen, sender, length, seq, sent_ns = HEADER.unpack_from(datagram)
    assert magic == b"NTMC" and version == 1 and hlen == 32 and length == len(datagram), datagram[:32]
    return sender, seq, sent_ns


def joined(ns, ifc, group):
    return wait_until(lambda: group in sh(f"ip -n {ns['r']} maddr show dev {ifc}").stdout)


@test
def socat_sender_is_counted_as_foreign_with_its_source():
    require_peer("socat")
    with lab() as (ns, _, _):
        r = start_receiver(ns, "239.9.9.22:5202", "--duration", 2)
        ns.exec("s", "sh -c 'printf hello | socat -u - UDP4-DATAGRAM:239.9.9.22:5202'")
        send(ns, "239.9.9.22:5202", "--count", 3, "--rate", 100)
        code, recs, err = finish(r)
        assert code == 0, err
        final = [f for f in of_type(recs, "foreign") if f["final"]]
        assert len(final) == 1 and final[0]["datagrams"] == 1 and final[0]["bytes"] == 5, final
        assert final[0]["source"].startswith(f"{S4}:") and final[0]["reason"] == "no_header", final
        assert summaries(recs)[0]["unique"] == 3


@test
def socat_udp4_recv_gets_our_datagrams():
    require_peer("socat")
    with lab() as (ns, _, r_if):
        cmd = ["ip", "netns", "exec", ns["r"], "socat", "-u",
               f"UDP4-RECV:5203,ip-add-membership=239.9.9.23:{R4},reuseaddr", "-"]
        peer = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            assert joined(ns, r_if, "239.9.9.23"), "socat did not join"
            send(ns, "239.9.9.23:5203", "--count", 10, "--size", 64, "--rate", 200, "--sender-id", 99)
            time.sleep(0.3)
        finally:
            peer.terminate()
            out, _ = peer.communicate(timeout=10)
        assert len(out) == 640, len(out)
        got = [parse(out[i:i + 64]) for i in range(0, 640, 64)]
        assert [g[1] for g in got] == list(range(10)) and {g[0] for g in got} == {99}, got
        assert all(abs(time.time_ns() - g[2]) < 60e9 for g in got)


@test
def python_receiver_gets_our_datagrams():
    with lab() as (ns, _, r_if):
        script = ("import socket,struct,sys\n"
                  "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
                  "s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\n"
                  "s.bind(('239.9.9.24',5204))\n"
                  f"m=struct.pack('4s4si',socket.inet_aton('239.9.9.24'),socket.inet_aton('{R4}'),0)\n"
                  "s.setsockopt(socket.IPPROTO_IP,socket.IP_ADD_MEMBERSHIP,m)\n"
                  "s.settimeout(10)\n"
                  "for _ in range(5): sys.stdout.write(s.recv(2000).hex()+'\\n')\n")
        peer = subprocess.Popen(["ip", "netns", "exec", ns["r"], "python3", "-c", script], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            assert joined(ns, r_if, "239.9.9.24"), "python did not join"
            send(ns, "239.9.9.24:5204", "--count", 5, "--size", 100, "--rate", 200, "--sender-id", 5)
            out, err = peer.communicate(timeout=15)
        finally:
            peer.kill() if peer.poll() is None else None
        assert peer.returncode == 0, err
        got = [parse(bytes.fromhex(line)) for line in out.split()]
        assert [(g[0], g[1]) for g in got] == [(5, i) for i in range(5)], got


@test
def iperf_sender_is_counted_as_foreign():
    require_peer("iperf")
    version = subprocess.run(["iperf", "-v"], capture_output=True, text=True)
    if "iperf version 2" not in (version.stdout + version.stderr):
        raise AssertionError(f"iperf is not 2.x: {version.stderr}")
    with lab() as (ns, _, _):
        r = start_receiver(ns, "239.9.9.25:5205", "--duration", 3)
        ns.exec("s", "iperf -c 239.9.9.25 -p 5205 -u -T 1 -t 0.5 -b 80k -l 100", timeout=20)
        code, recs, err = finish(r)
        assert code == 0, err
        final = [f for f in of_type(recs, "foreign") if f["final"]]
        assert len(final) == 1 and final[0]["datagrams"] >= 10 and final[0]["source"].startswith(f"{S4}:"), final
        assert final[0]["bytes"] == 100 * final[0]["datagrams"], final


@test
def iperf_server_bound_to_the_group_receives_our_datagrams():
    require_peer("iperf")
    with lab() as (ns, _, r_if):
        cmd = ["ip", "netns", "exec", ns["r"], "iperf", "-s", "-u", "-B", "239.9.9.26", "-p", "5206", "-i", "1"]
        peer = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            assert joined(ns, r_if, "239.9.9.26"), "iperf did not join"
            send(ns, "239.9.9.26:5206", "--count", 20, "--rate", 200, "--size", 200)
            time.sleep(1.5)
        finally:
            peer.terminate()
            out, _ = peer.communicate(timeout=10)
        # iperf reads our header as its own (its loss figures are nonsense); the bytes are right.
        assert f"local 239.9.9.26 port 5206 connected with {S4}" in out, out
        assert "3.91 KBytes" in out, out  # 20 × 200 bytes


run_tests()
