#!/usr/bin/env python3
"""Errors that tell the fix: no multicast route, an interface without MULTICAST, the join limit; usage
errors (exit 2, one line naming the input) before anything is opened."""
import json

from mclib import S4, lab, send, start_receiver
from ntlib import assert_usage_error, jsonl, nettool, of_type, run_tests, sh, test


@test
def usage_errors_name_the_input():
    cases = [
        (["send", "10.1.2.3:5000"], ["10.1.2.3:5000", "not a multicast address"]),
        (["recv", "239.1.1.1"], ["239.1.1.1", "missing port"]),
        (["recv", "239.1.1.1:0"], ["port 0"]),
        (["send", "239.1.1.1:5000", "--size", "31"], ["--size", "31"]),
        (["send", "239.1.1.1:5000", "--loop", "maybe"], ["--loop", "maybe"]),
        (["send", "239.1.1.1:5000", "--ttl", "256"], ["--ttl", "256"]),
        (["send", "239.1.1.1:5000", "--rate", "nan"], ["--rate", "nan"]),
        (["recv", "239.1.1.1:5000", "--timeout", "1"], ["--timeout", "--expect"]),
        (["recv", "239.1.1.1:5000", "--iface", "nosuchif0"], ["--iface", "nosuchif0"]),
        (["recv", "239.1.1.1:5000", "--source", "fd07::1"], ["--source", "fd07::1"]),
        (["send", "--broadcast", "[ff02::1%lo]:5000"], ["--broadcast", "IPv4"]),
        (["recv", "--broadcast", "0.0.0.0:5000", "--source", "10.0.0.1"], ["--source", "--broadcast"]),
        (["bogus"], ["bogus"]),
    ]
    for args, needles in cases:
        assert_usage_error(nettool("multicast", *args), *needles)


@test
def no_multicast_route_names_the_route_to_add():
    with lab(routes=False) as (ns, _, _):
        proc = nettool("multicast", "recv", "239.1.1.1:5000", netns=ns["r"])
        assert proc.returncode == 3, proc
        assert "no route for multicast group 239.1.1.1" in proc.stderr, proc.stderr
        assert "ip route add 224.0.0.0/4 dev" in proc.stderr, proc.stderr
        proc = nettool("multicast", "send", "239.1.1.1:5000", "--count", 1, netns=ns["s"])
        assert proc.returncode == 3 and "ip route add 224.0.0.0/4" in proc.stderr, proc


@test
def explicit_interface_needs_no_route():
    with lab(routes=False) as (ns, s_if, r_if):
        r = start_receiver(ns, "239.1.1.2:5000", "--iface", r_if, "--expect", 5, "--timeout", 10)
        send(ns, "239.1.1.2:5000", "--iface", S4, "--count", 5, "--rate", 200)
        out, err = r.proc.communicate(timeout=15)
        r.stop()
        assert r.proc.returncode == 0, err


@test
def interface_without_multicast_flag():
    with lab() as (ns, _, r_if):
        sh(f"ip -n {ns['r']} link set {r_if} multicast off")
        proc = nettool("multicast", "recv", "239.1.1.1:5000", netns=ns["r"])
        assert proc.returncode == 3, proc
        assert f"interface {r_if} has no MULTICAST flag: ip link set {r_if} multicast on" in proc.stderr, proc.stderr


@test
def join_limit_names_the_sysctl():
    with lab() as (ns, _, _):
        ns.exec("r", "sysctl -qw net.ipv4.igmp_max_msf=1")
        proc = nettool("multicast", "recv", "232.1.1.1:5000", "--source", "10.77.0.1", "--source", "10.77.0.3",
                       "--duration", 0.2, netns=ns["r"])
        assert proc.returncode == 3, proc
        assert "join limit reached" in proc.stderr and "net.ipv4.igmp_max_msf" in proc.stderr, proc.stderr
        ns.exec("r", "sysctl -qw net.ipv4.igmp_max_memberships=0")
        proc = nettool("multicast", "recv", "239.1.1.1:5000", "--duration", 0.2, netns=ns["r"])
        assert proc.returncode == 3 and "net.ipv4.igmp_max_memberships" in proc.stderr, proc.stderr


@test
def json_error_record_on_failure():
    with lab(routes=False) as (ns, _, _):
        proc = nettool("multicast", "recv", "239.1.1.1:5000", "--jsonl", netns=ns["r"])
        assert proc.returncode == 3
        last = json.loads(proc.stdout.splitlines()[-1])
        assert last["type"] == "error" and last["exit_code"] == 3, last


@test
def receiver_survives_garbage_and_counts_it_as_foreign():
    with lab() as (ns, _, _):
        r = start_receiver(ns, "239.1.1.3:5000", "--expect", 5, "--timeout", 10)
        payloads = ["", "x", "NTMC", "NTMC" + "\\x01" * 40, "\\xff" * 1400]
        for p in payloads:
            ns.exec("s", f"python3 -c \"import socket;s=socket.socket(2,2);"
                         f"s.sendto(b'{p}',('239.1.1.3',5000))\"")
        send(ns, "239.1.1.3:5000", "--count", 5, "--rate", 200)
        out, err = r.proc.communicate(timeout=15)
        r.stop()
        recs = jsonl((r._buffer + out).decode())
        assert r.proc.returncode == 0, err
        final = [f for f in of_type(recs, "foreign") if f["final"]]
        # One source per python process (a new port each time), each named with its reason.
        assert len(final) == len(payloads) and all(f["source"].startswith(f"{S4}:") for f in final), final
        assert sorted(f["reason"] for f in final) == sorted(
            ["no_header", "no_header", "short", "bad_header_length", "no_header"]), final
        assert of_type(recs, "result")[0]["foreign_datagrams"] == len(payloads)


@test
def a_flood_of_sender_ids_stays_bounded():
    with lab() as (ns, _, _):
        r = start_receiver(ns, "239.1.1.4:5000", "--duration", 4)
        script = ("import socket,struct,time\n"
                  "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
                  "for i in range(1100):\n"
                  "    s.sendto(struct.pack('>4sBBHIIQq',b'NTMC',1,0,32,i,32,0,time.time_ns()),('239.1.1.4',5000))\n"
                  "    time.sleep(0.0005)\n")
        ns.exec("s", f"python3 -c \"{script}\"")
        out, err = r.proc.communicate(timeout=15)
        r.stop()
        recs = jsonl((r._buffer + out).decode())
        assert r.proc.returncode == 0, err
        result = of_type(recs, "result")[0]
        assert result["senders"] == 1024 and result["untracked_datagrams"] == 76, result


run_tests()
