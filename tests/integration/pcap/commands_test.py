"""--pcap FILE for portscan (connect, SYN, UDP), chat-client and multicast send/recv.

Each runs with --pcap and --jsonl while unrelated traffic runs beside it (an iputils ping, a TCP
connection to another loopback port, a stray UDP datagram); the file is read back with python3-dpkt and
compared with the records: one probe per scanned port and its reply, the chat lines, the datagrams.
"""
import json
import os
import socket
import subprocess
import sys
import threading
import time

from ntlib import NETTOOL, jsonl, nettool, of_type, require_peer, run_tests, split_hostport, start_server, test

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "multicast"))
sys.path.insert(0, os.path.join(HERE, "..", "chat"))
from pcaplib import (Workdir, _background, _dpkt, _require_capture_privilege, _socat_echo, _stop,  # noqa: E402
                     _unrelated_tcp, read_packets)


class Noise:
    """An iputils ping and repeated TCP connections to another loopback port while the block runs."""

    def __enter__(self):
        require_peer("ping")
        self.echo, self.port = _socat_echo()
        self.ping = _background(["ping", "-i", "0.1", "-c", "100", "127.0.0.1"])
        self.stop = threading.Event()
        self.thread = threading.Thread(target=_unrelated_tcp, args=(self.port, self.stop))
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        _stop(self.ping)
        _stop(self.echo)


def _listeners(n, kind=socket.SOCK_STREAM):
    socks = []
    for _ in range(n):
        s = socket.socket(socket.AF_INET, kind)
        s.bind(("127.0.0.1", 0))
        if kind == socket.SOCK_STREAM:
            s.listen(16)
        socks.append(s)
    return socks


def _closed_udp_ports(n):
    """Ports nobody listens on (bound, then closed)."""
    socks = _listeners(n, socket.SOCK_DGRAM)
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def _scan(method, ports, path, *extra):
    """Paced (50 probes/s) so the unrelated traffic runs while it scans."""
    proc = nettool("portscan", method, "127.0.0.1", "-p", ",".join(map(str, ports)), "--all", "--retries", 0,
                   "--timeout", 0.5, "--rate", 50, "--pcap", path, "--jsonl", *extra, check=0)
    records = jsonl(proc.stdout)
    return of_type(records, "port"), of_type(records, "summary")[0]


def _check_tcp_scan(method):
    _require_capture_privilege()
    dpkt = _dpkt()
    open_socks = _listeners(2)
    open_ports = [s.getsockname()[1] for s in open_socks]
    scanned = list(range(1, 21)) + open_ports  # 1-20: a portrange in the filter
    try:
        with Noise() as noise, Workdir() as d:
            path = os.path.join(d, "scan.pcap")
            ports, summary = _scan(method, scanned, path)
            packets = read_packets(path)
    finally:
        for s in open_socks:
            s.close()
    assert len(ports) == len(scanned) and summary["retransmissions"] == 0, summary
    segs = [ip.data for ip in packets]
    assert all(isinstance(s, dpkt.tcp.TCP) for s in segs), [type(s) for s in segs]  # no ping
    assert not any(noise.port in (s.sport, s.dport) for s in segs), "the unrelated connection is not ours"
    syns = [s.dport for s in segs if s.flags & dpkt.tcp.TH_SYN and not s.flags & dpkt.tcp.TH_ACK]
    assert sorted(syns) == sorted(scanned), f"one SYN per scanned port: {sorted(syns)}"
    synacks = {s.sport for s in segs if s.flags & dpkt.tcp.TH_SYN and s.flags & dpkt.tcp.TH_ACK}
    resets = {s.sport for s in segs if s.flags & dpkt.tcp.TH_RST and s.sport in scanned}
    opened = {p["port"] for p in ports if p["state"] == "open"}
    closed = {p["port"] for p in ports if p["state"] == "closed"}
    assert opened >= set(open_ports) and synacks == opened, (synacks, opened)
    assert resets == closed and len(closed) == summary["closed"], (resets, closed)
    assert len(opened) == summary["open"]


@test
def portscan_connect_captures_one_syn_per_port_and_the_replies():
    _check_tcp_scan("--connect")


@test
def portscan_syn_captures_one_syn_per_port_and_the_replies():
    _check_tcp_scan("--syn")


@test
def portscan_udp_captures_probes_and_port_unreachables():
    _require_capture_privilege()
    dpkt = _dpkt()
    closed_ports = _closed_udp_ports(4)
    stray_port = _closed_udp_ports(1)[0]
    server = _listeners(1, socket.SOCK_DGRAM)[0]  # answers every probe: open
    server.settimeout(5)
    open_port = server.getsockname()[1]

    def answer():
        try:
            data, peer = server.recvfrom(2048)
            server.sendto(b"pong", peer)
        except OSError:
            pass

    responder = threading.Thread(target=answer)
    responder.start()
    try:
        with Noise(), Workdir() as d:
            stray = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            stray.sendto(b"unrelated", ("127.0.0.1", stray_port))  # its ICMP error is not ours
            path = os.path.join(d, "udp.pcap")
            ports, summary = _scan("--udp", closed_ports + [open_port], path)
            stray.sendto(b"unrelated", ("127.0.0.1", stray_port))
            stray.close()
            packets = read_packets(path)
    finally:
        responder.join()
        server.close()
    by_port = {p["port"]: p["state"] for p in ports}
    assert by_port[open_port] == "open" and all(by_port[p] == "closed" for p in closed_ports), by_port
    probes = [ip.data.dport for ip in packets if isinstance(ip.data, dpkt.udp.UDP) and ip.data.dport != 0
              and ip.data.sport != open_port]
    assert sorted(probes) == sorted(closed_ports + [open_port]) == sorted(by_port), probes
    replies = [ip.data for ip in packets if isinstance(ip.data, dpkt.udp.UDP) and ip.data.sport == open_port]
    assert len(replies) == 1 and bytes(replies[0].data) == b"pong"
    unreachable = [ip.data for ip in packets if isinstance(ip.data, dpkt.icmp.ICMP)]
    assert all(i.type == 3 and i.code == 3 for i in unreachable), "port unreachable only: no ping"
    quoted = [int.from_bytes(bytes(i.data)[4 + 20 + 2:4 + 20 + 4], "big") for i in unreachable]
    assert sorted(quoted) == sorted(closed_ports) and len(quoted) == summary["closed"], quoted
    assert len(packets) == len(probes) + len(replies) + len(unreachable)


@test
def chat_client_captures_its_conversation_only():
    _require_capture_privilege()
    dpkt = _dpkt()
    server, rec = start_server("chat-server", "--listen", "127.0.0.1:0")
    with server:
        _, port = split_hostport(rec["address"])
        with Noise(), Workdir() as d:
            path = os.path.join(d, "chat.pcap")
            proc = nettool("chat-client", f"127.0.0.1:{port}", "--name", "pcapper", "--send", "first-line",
                           "--send", "second-line", "--exit", "--pcap", path, "--jsonl", check=0)
            packets = read_packets(path)
    summary = of_type(jsonl(proc.stdout), "summary")[0]
    segs = [ip.data for ip in packets]
    assert all(isinstance(s, dpkt.tcp.TCP) and port in (s.sport, s.dport) for s in segs), segs
    to_server = [s for s in segs if s.dport == port]
    assert len({s.sport for s in to_server}) == 1, "one connection"
    assert len([s for s in to_server if s.flags & dpkt.tcp.TH_SYN]) == 1
    sent = [json.loads(ln) for ln in b"".join(bytes(s.data) for s in to_server).splitlines()]
    got = [json.loads(ln) for ln in b"".join(bytes(s.data) for s in segs if s.sport == port).splitlines()]
    assert [m["text"] for m in sent if m["type"] == "message"] == ["first-line", "second-line"], sent
    assert summary["messages_sent"] == 2 and len(got) == summary["messages_received"], (summary, got)
    assert got[0]["type"] == "welcome" and got[0]["name"] == "pcapper", got


@test
def chat_client_reconnect_records_each_connection_not_a_strangers():
    _require_capture_privilege()
    from client_util import ChatServer, RawClient
    dpkt = _dpkt()
    with ChatServer(close_after_welcome=1) as server, Workdir() as d:
        _, port = split_hostport(server.target)
        path = os.path.join(d, "reconnect.pcap")
        proc = subprocess.Popen([NETTOOL, "chat-client", server.target, "-n", "alice", "--reconnect", "--jsonl",
                                 "--wait-for", "type=message,from=bob", "--timeout", "15", "--pcap", path],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            server.wait_joined(2, timeout=15)
            time.sleep(0.2)
            bob = RawClient(server.target, "bob")  # a stranger on the same server: not in the file
            bob_port = bob.sock.getsockname()[1]
            bob.send({"type": "message", "text": "welcome back"})
            out, err = proc.communicate(timeout=15)
            bob.close()
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        assert proc.returncode == 0, err
        segs = [ip.data for ip in read_packets(path)]
    assert of_type(jsonl(out), "summary")[0]["reconnects"] == 1
    assert all(isinstance(s, dpkt.tcp.TCP) and port in (s.sport, s.dport) for s in segs), segs
    local_ports = {s.sport for s in segs if s.dport == port}
    syns = [s.sport for s in segs if s.dport == port and s.flags & dpkt.tcp.TH_SYN]
    assert len(syns) == 2 and set(syns) == local_ports, (syns, local_ports)
    assert bob_port not in local_ports
    got = b"".join(bytes(s.data) for s in segs if s.sport == port and s.dport == syns[1])
    assert b"welcome back" in got, got


@test
def multicast_send_and_recv_capture_the_group_datagrams():
    _require_capture_privilege()
    from mclib import R4, finish, lab, start_receiver
    dpkt = _dpkt()
    group, port, other_port = "239.7.7.20", 5020, 5021
    with lab() as (ns, _, _), Workdir() as d:
        send_path, recv_path = os.path.join(d, "send.pcap"), os.path.join(d, "recv.pcap")
        r = start_receiver(ns, f"{group}:{port}", "--expect", 5, "--timeout", 10, "--pcap", recv_path)
        # Beside it: a ping between the namespaces, another sender to the group's other port.
        ping = _background(["ip", "netns", "exec", ns["s"], "ping", "-i", "0.05", "-c", "40", R4])
        noise = _background(["ip", "netns", "exec", ns["s"], NETTOOL, "multicast", "send", f"{group}:{other_port}",
                             "--count", "40", "--rate", "100"])
        try:
            proc = nettool("multicast", "send", f"{group}:{port}", "--count", 5, "--rate", 25, "--interval", 0,
                           "--pcap", send_path, "--jsonl", netns=ns["s"], check=0)
            code, recs, err = finish(r)
        finally:
            _stop(ping)
            _stop(noise)
        assert proc.returncode == 0 and code == 0, (proc.stderr, err)
        sent, received = read_packets(send_path), read_packets(recv_path)
    sending = of_type(jsonl(proc.stdout), "sending")[0]
    local_port = split_hostport(sending["local"])[1]
    (summary,) = of_type(recs, "summary")
    for packets, count in ((sent, 5), (received, summary["received"])):
        dgrams = [ip.data for ip in packets]
        assert all(isinstance(u, dpkt.udp.UDP) for u in dgrams), "no ping, no other port"
        assert [(socket.inet_ntoa(ip.dst), ip.data.dport, ip.data.sport) for ip in packets] == \
            [(group, port, local_port)] * count, packets
    assert summary["received"] == 5


run_tests()
