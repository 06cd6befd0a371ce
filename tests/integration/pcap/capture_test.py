"""--pcap FILE: nettool captures exactly its own traffic.

Each supported subcommand runs on loopback with --pcap and --jsonl while unrelated traffic (iputils ping,
another TCP connection, another UDP exchange) runs beside it; the file is read back with python3-dpkt and
its packets are compared with what the command reported. Plus the refusals: no CAP_NET_RAW (exit 4,
nothing created), unsupported commands and unix sockets (exit 2). portscan, chat-client and multicast: commands_test.py.
"""
import os
import socket
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "udp_time"))

from ntlib import (assert_usage_error, have, jsonl, nettool, of_type, require_peer, run_tests, skip, start_server,
                   split_hostport, test)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pcaplib import (Workdir, _background, _dpkt, _require_capture_privilege, _socat_echo, _stop,  # noqa: E402
                     _unrelated_tcp, read_packets)


def _check_ping(host, family_icmp):
    _require_capture_privilege()
    require_peer("ping")
    dpkt = _dpkt()
    with Workdir() as d:
        path = os.path.join(d, "ping.pcap")
        other = _background(["ping", "-c", "12", "-i", "0.1", host])  # unrelated: must not appear
        try:
            proc = nettool("ping", "-c", 3, "-i", 0.2, host, "--pcap", path, "--jsonl", check=0)
        finally:
            _stop(other)
        replies = of_type(jsonl(proc.stdout), "reply")
        assert [r["seq"] for r in replies] == [1, 2, 3], replies
        packets = read_packets(path)
    v6 = family_icmp == "icmp6"
    request, reply = (128, 129) if v6 else (8, 0)
    kinds, ids, seqs = [], set(), {request: [], reply: []}
    for ip in packets:
        icmp = ip.data
        assert isinstance(icmp, dpkt.icmp6.ICMP6 if v6 else dpkt.icmp.ICMP), f"not ICMP: {ip!r}"
        kinds.append(icmp.type)
        body = bytes(icmp.data)
        ident, seq = int.from_bytes(body[0:2], "big"), int.from_bytes(body[2:4], "big")
        ids.add(ident)
        seqs[icmp.type].append(seq)
    assert sorted(kinds) == sorted([request] * 3 + [reply] * 3), f"expected 3 requests + 3 replies: {kinds}"
    assert len(ids) == 1, f"one identifier, ours: {ids}"
    # nettool counts from 1 in its records; on the wire iputils and nettool start at the same number
    assert sorted(seqs[request]) == sorted(seqs[reply]) and len(set(seqs[request])) == 3, seqs
    assert max(seqs[request]) - min(seqs[request]) == 2, seqs


@test
def ping_v4_captures_three_requests_and_three_replies_only():
    _check_ping("127.0.0.1", "icmp")


@test
def ping_v6_captures_three_requests_and_three_replies_only():
    if not socket.has_ipv6 or not os.path.exists("/proc/net/if_inet6"):
        skip("no IPv6 on this kernel")
    _check_ping("::1", "icmp6")


def _tcp_flags(packets, port):
    dpkt = _dpkt()
    segs = [ip.data for ip in packets]
    assert all(isinstance(s, dpkt.tcp.TCP) for s in segs), segs
    assert all(port in (s.sport, s.dport) for s in segs), "a packet of another conversation"
    return segs


@test
def tcp_echo_client_captures_its_connection_and_payload():
    _require_capture_privilege()
    dpkt = _dpkt()
    server, port = _socat_echo()
    other, other_port = _socat_echo()
    stop = threading.Event()
    noise = threading.Thread(target=_unrelated_tcp, args=(other_port, stop))
    noise.start()
    try:
        with Workdir() as d:
            path = os.path.join(d, "client.pcap")
            proc = nettool("tcp-echo", "client", f"127.0.0.1:{port}", "-c", 3, "-i", 0.1, "-s", 100, "--pcap",
                           path, "--jsonl", check=0)
            packets = read_packets(path)
    finally:
        stop.set()
        noise.join()
        _stop(server)
        _stop(other)
    summary = of_type(jsonl(proc.stdout), "summary")[0]
    assert summary["received"] == 3, summary
    segs = _tcp_flags(packets, port)
    to_server = [s for s in segs if s.dport == port]
    from_server = [s for s in segs if s.sport == port]
    syns = [s for s in to_server if s.flags & dpkt.tcp.TH_SYN]
    fins = [s for s in to_server if s.flags & dpkt.tcp.TH_FIN]
    assert len(syns) == 1 and len(fins) == 1, (len(syns), len(fins))
    assert len({s.sport for s in to_server}) == 1, "one connection, one local port"
    assert sum(len(s.data) for s in to_server) == 3 * 100, "payload sent = 3 probes of 100 bytes"
    assert sum(len(s.data) for s in from_server) == 3 * 100, "payload echoed"


@test
def tcp_echo_server_captures_its_port_and_stops_flushed_on_sigterm():
    _require_capture_privilege()
    dpkt = _dpkt()
    with Workdir() as d:
        path = os.path.join(d, "server.pcap")
        server, rec = start_server("tcp-echo", "server", "--listen", "127.0.0.1:0", "--pcap", path)
        with server:
            _, port = split_hostport(rec["address"])
            for i in range(2):
                with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                    s.sendall(b"x" * 1000)
                    got = b""
                    while len(got) < 1000:
                        got += s.recv(4096)
            code, out, err = server.finish()
        assert code == 0, err
        summary = of_type(jsonl(out), "summary")[0]
        segs = _tcp_flags(read_packets(path), port)
    assert summary["connections"] == 2 and summary["bytes_in"] == 2000, summary
    syns = [s for s in segs if s.dport == port and s.flags & dpkt.tcp.TH_SYN]
    assert len(syns) == 2, len(syns)
    assert sum(len(s.data) for s in segs if s.dport == port) == summary["bytes_in"]
    assert sum(len(s.data) for s in segs if s.sport == port) == summary["bytes_out"]


@test
def udp_time_client_captures_requests_and_replies():
    _require_capture_privilege()
    require_peer("chronyd")
    from timelib import chronyd, free_udp_port
    dpkt = _dpkt()
    port, other_port = free_udp_port(), free_udp_port()
    with Workdir() as d:
        path = os.path.join(d, "sntp.pcap")
        with chronyd(port, stratum=8):
            stray = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            stray.sendto(b"unrelated", ("127.0.0.1", other_port))  # nobody listens: ICMP too, not ours
            stray.close()
            proc = nettool("udp-time", f"127.0.0.1:{port}", "--count", 3, "--interval", 0.1, "--pcap", path,
                           "--jsonl", check=0)
        packets = read_packets(path)
    result = of_type(jsonl(proc.stdout), "result")[0]
    assert result["samples"] == 3 and result["sent"] == 3, result
    dgrams = [ip.data for ip in packets]
    assert all(isinstance(u, dpkt.udp.UDP) for u in dgrams), dgrams
    requests = [u for u in dgrams if u.dport == port]
    replies = [u for u in dgrams if u.sport == port]
    assert len(requests) == result["sent"] and len(replies) == result["samples"], (len(requests), len(replies))
    assert len({u.sport for u in requests}) == 1


@test
def udp_time_server_captures_its_port():
    _require_capture_privilege()
    from timelib import exchange, sntp_request
    dpkt = _dpkt()
    with Workdir() as d:
        path = os.path.join(d, "server.pcap")
        server, rec = start_server("udp-time", "server", "--listen", "127.0.0.1:0", "--pcap", path)
        with server:
            _, port = split_hostport(rec["address"])
            answers = [exchange(port, sntp_request()) for _ in range(4)]
            code, out, err = server.finish()
        assert code == 0, err
        packets = read_packets(path)
    summary = of_type(jsonl(out), "summary")[-1]
    assert all(a is not None for a in answers)
    dgrams = [ip.data for ip in packets]
    assert all(isinstance(u, dpkt.udp.UDP) and port in (u.sport, u.dport) for u in dgrams), dgrams
    assert len([u for u in dgrams if u.dport == port]) == summary["requests"] == 4, summary
    assert len([u for u in dgrams if u.sport == port]) == summary["replies"] == 4, summary


@test
def chat_server_captures_its_port():
    _require_capture_privilege()
    with Workdir() as d:
        path = os.path.join(d, "chat.pcap")
        server, rec = start_server("chat-server", "--listen", "127.0.0.1:0", "--pcap", path)
        with server:
            _, port = split_hostport(rec["address"])
            with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                s.sendall(b'{"type":"hello","name":"pcap"}\n')
                s.settimeout(2)
                try:
                    s.recv(4096)
                except socket.timeout:
                    pass
            code, out, err = server.finish()
        assert code == 0, err
        segs = _tcp_flags(read_packets(path), port)
    dpkt = _dpkt()
    summary = of_type(jsonl(out), "summary")[-1]
    assert len([s for s in segs if s.dport == port and s.flags & dpkt.tcp.TH_SYN]) == 1
    assert sum(len(s.data) for s in segs if s.dport == port) == summary["bytes_in"], summary
    assert sum(len(s.data) for s in segs if s.sport == port) == summary["bytes_out"], summary


@test
def without_cap_net_raw_exit_4_before_anything():
    if os.geteuid() != 0:
        skip("needs root to drop to an unprivileged user")
    if not have("setpriv"):
        skip("setpriv is not installed")
    with Workdir() as d:
        os.chmod(d, 0o777)
        path = os.path.join(d, "denied.pcap")
        proc = nettool("ping", "-c", 1, "127.0.0.1", "--pcap", path, user=65534)
        assert proc.returncode == 4, (proc.returncode, proc.stderr)
        lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and "CAP_NET_RAW" in lines[0], lines
        assert proc.stdout == "", "nothing ran: no record"
        assert not os.path.exists(path), "no file created"


@test
def unsupported_commands_and_unix_sockets_are_refused():
    with Workdir() as d:
        path = os.path.join(d, "x.pcap")
        assert_usage_error(nettool("sockopt", "inspect", "--new", "tcp", "--pcap", path), "--pcap", "not supported")
        assert_usage_error(nettool("ping", "-c", 1, "127.0.0.1", "--pcap", "-"), "--pcap", "stdout")
        if os.geteuid() == 0:
            assert_usage_error(nettool("tcp-echo", "client", f"unix:{d}/nothing", "--pcap", path), "--pcap",
                               "unix")
            assert_usage_error(nettool("chat-client", f"unix:{d}/nothing", "-n", "a", "--reconnect", "--pcap", path),
                               "--pcap", "unix")
            assert_usage_error(nettool("ping", "-c", 1, "127.0.0.1", "--pcap", f"{d}/no/such/dir/x.pcap"),
                               "--pcap", "no/such/dir")


run_tests()
