"""tcp-echo server: many concurrent clients, backpressure, idle timeout, client limits, SIGTERM, unix and
abstract sockets, several event loops."""
import os
import selectors
import signal
import socket
import tempfile
import time
import uuid

from echo_util import echo_server, echo_with_socket, raise_nofile, random_bytes, rss_kib
from ntlib import jq_ok, jsonl, nettool, of_type, start_server, test, run_tests


def echo_many(host, port, n, size=512):
    """n connections open at once; each sends its own bytes; every echo must come back intact."""
    raise_nofile(n + 256)
    socks, expected, received = [], {}, {}
    try:
        for i in range(n):
            s = socket.create_connection((host, port), timeout=10)
            socks.append(s)
        sel = selectors.DefaultSelector()
        for i, s in enumerate(socks):
            expected[s] = random_bytes(size, seed=i)
            received[s] = bytearray()
            s.sendall(expected[s])
            s.setblocking(False)
            sel.register(s, selectors.EVENT_READ)
        deadline = time.monotonic() + 30
        pending = len(socks)
        while pending and time.monotonic() < deadline:
            for key, _ in sel.select(timeout=1):
                data = key.fileobj.recv(65536)
                assert data, "server closed a connection before echoing"
                received[key.fileobj] += data
                if len(received[key.fileobj]) >= size:
                    sel.unregister(key.fileobj)
                    pending -= 1
        assert pending == 0, f"{pending} connections not fully echoed"
        for s in socks:
            assert bytes(received[s]) == expected[s], "a connection got someone else's bytes"
    finally:
        for s in socks:
            s.close()


@test
def thousand_concurrent_connections_all_echoed():
    with echo_server() as (server, host, port):
        echo_many(host, port, 1000)
        code, out, _ = server.finish()
        assert code == 0
        recs = jsonl(out)
        summary = of_type(recs, "summary")[0]
        assert summary["connections"] == 1000 and summary["peak_concurrent"] == 1000, summary


@test
def several_event_loops_share_the_port():
    with echo_server("--threads", 3) as (server, host, port):
        echo_many(host, port, 300, size=4096)
        code, out, _ = server.finish()
        assert code == 0
        assert of_type(jsonl(out), "summary")[0]["connections"] == 300


@test
def client_that_never_reads_cannot_grow_server_memory():
    with echo_server() as (server, host, port):
        before = rss_kib(server.pid)
        with socket.create_connection((host, port)) as s:
            s.setblocking(False)
            chunk = b"x" * 65536
            sent, stalled_since = 0, None
            limit = 512 << 20
            deadline = time.monotonic() + 20
            while sent < limit and time.monotonic() < deadline:
                try:
                    sent += s.send(chunk)
                    stalled_since = None
                except BlockingIOError:
                    stalled_since = stalled_since or time.monotonic()
                    if time.monotonic() - stalled_since > 1.5:
                        break
                    time.sleep(0.01)
            after = rss_kib(server.pid)
        assert sent < limit, "the server kept reading from a client that never reads"
        grown = after - before
        assert grown < 16 * 1024, f"server RSS grew by {grown} KiB ({before} -> {after}) after {sent} bytes"


@test
def idle_timeout_closes_a_silent_client_but_not_an_active_one():
    with echo_server("--idle-timeout", 0.6) as (server, host, port):
        silent = socket.create_connection((host, port))
        active = socket.create_connection((host, port))
        for _ in range(8):  # 1.6 s of activity, each gap shorter than the timeout
            active.sendall(b"ping")
            assert active.recv(16) == b"ping"
            time.sleep(0.2)
        silent.settimeout(30)  # a hang guard: the server's close is the event waited for
        assert silent.recv(16) == b"", "silent client not closed"
        closed = server.wait_for("closed")
        assert closed["reason"] == "idle_timeout" and closed["bytes_in"] == 0, closed
        active.sendall(b"still here")
        assert active.recv(16) == b"still here"
        silent.close()
        active.close()
        code, out, _ = server.finish()
        assert of_type(jsonl(out), "summary")[0]["idle_timeouts"] == 1


@test
def clients_beyond_max_clients_are_refused_and_counted():
    with echo_server("--max-clients", 2) as (server, host, port):
        a = socket.create_connection((host, port))
        b = socket.create_connection((host, port))
        for s in (a, b):
            s.sendall(b"ok")
            assert s.recv(8) == b"ok"
        c = socket.create_connection((host, port))
        c.settimeout(5)
        try:
            assert c.recv(8) == b"", "third client got data"
        except ConnectionResetError:
            pass
        refused = server.wait_for("refused")
        assert refused["reason"] == "max_clients", refused
        a.close()
        server.wait_for("closed")
        d = socket.create_connection((host, port))  # a slot is free again
        d.sendall(b"again")
        assert d.recv(8) == b"again"
        for s in (b, c, d):
            s.close()
        code, out, _ = server.finish()
        assert of_type(jsonl(out), "summary")[0]["refused"] == 1


@test
def clients_beyond_max_per_ip_are_refused():
    with echo_server("--max-per-ip", 1) as (server, host, port):
        a = socket.create_connection((host, port))
        a.sendall(b"1")
        assert a.recv(4) == b"1"
        b = socket.create_connection((host, port))
        b.settimeout(5)
        assert b.recv(4) == b""
        assert server.wait_for("refused")["reason"] == "max_per_ip"
        a.close()
        b.close()


@test
def sigterm_and_sigint_print_summary_and_exit_0():
    for signo in (signal.SIGTERM, signal.SIGINT):
        with echo_server() as (server, host, port):
            with socket.create_connection((host, port)) as s:
                assert echo_with_socket(s, b"abc") == b"abc"
            server.wait_for("closed")
            open_conn = socket.create_connection((host, port))
            server.wait_for("accepted")
            code, out, err = server.finish(signo)
            open_conn.close()
            assert code == 0, (code, err)
            for line in out.splitlines():
                jq_ok(line)
            recs = jsonl(out)
            assert of_type(recs, "closed")[0]["reason"] == "shutdown"
            summary = of_type(recs, "summary")[0]
            assert summary["signal"] == signal.Signals(signo).name, summary
            assert summary["connections"] == 2 and summary["bytes_in"] == 3, summary


@test
def unix_and_abstract_sockets():
    path = os.path.join(tempfile.gettempdir(), f"nt-echo-{uuid.uuid4().hex[:8]}.sock")
    name = f"nt-echo-{uuid.uuid4().hex[:8]}"
    for listen, py_addr in ((f"unix:{path}", path), (f"@{name}", "\0" + name)):
        server, rec = start_server("tcp-echo", "server", "--listen", listen)
        try:
            assert rec["address"] == listen, rec
            with socket.socket(socket.AF_UNIX) as s:
                s.connect(py_addr)
                assert echo_with_socket(s, random_bytes(1 << 20)) == random_bytes(1 << 20)
            data = random_bytes(300000, seed=3)
            proc = nettool("tcp-echo", "client", listen, "--stdin", input=data, check=0)
            assert proc.stdout == data
            probe = nettool("tcp-echo", "client", listen, "-c", 2, "-i", 0, "--jsonl", check=0)
            assert len(of_type(jsonl(probe.stdout), "reply")) == 2
            code, _, _ = server.finish()
            assert code == 0
        finally:
            server.stop()
    assert not os.path.exists(path), "unix socket file left behind"


@test
def listening_on_ipv6_loopback():
    server, rec = start_server("tcp-echo", "server", "--listen", "[::1]:0")
    try:
        assert rec["address"].startswith("[::1]:"), rec
        proc = nettool("tcp-echo", "client", rec["address"], "--stdin", input=b"six", check=0)
        assert proc.stdout == b"six"
    finally:
        server.stop()


if __name__ == "__main__":
    run_tests()
