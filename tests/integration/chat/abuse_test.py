"""chat-server under abuse: a client that never reads while others chat (it is dropped, the others lose
nothing), slowloris partial lines, 1,000 clients joining and leaving, 10,000 idle joined clients; the
server's memory (VmRSS) stays bounded throughout. Not run under ASan (RSS bounds)."""
import json
import selectors
import socket
import time

from chat_util import ChatClient, chat_server, raise_nofile, rss_kib
from ntlib import jsonl, of_type, run_tests, skip, test


@test
def a_client_that_never_reads_is_dropped_and_delays_nobody():
    with chat_server("--rate", "0", "--max-queue", "65536") as (server, host, port, _):
        stalled = socket.create_connection((host, port))
        stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        stalled.sendall(b'{"type":"join","name":"stalled"}\n')
        sender, reader = ChatClient(host, port), ChatClient(host, port)
        sender.join("sender")
        reader.join("reader")
        text = "x" * 3000
        n = 3000  # 9 MB towards the staller: far past its queue and the kernel's socket buffers
        got, stalled_left = 0, False
        for i in range(n):
            sender.send("message", text=f"{i} {text}")
            while True:  # the reader keeps up; it must see every line, in order
                try:
                    msg = reader.recv(timeout=0.001 if i < n - 1 else 10)
                except socket.timeout:
                    break
                stalled_left |= msg["type"] == "user_left" and msg["name"] == "stalled"
                if msg["type"] == "message":
                    assert msg["text"].startswith(f"{got} "), (got, msg["text"][:20])
                    got += 1
                if got == i + 1:
                    break
        while got < n:
            msg = reader.recv()
            stalled_left |= msg["type"] == "user_left" and msg["name"] == "stalled"
            if msg["type"] == "message":
                assert msg["text"].startswith(f"{got} ")
                got += 1
        if not stalled_left:
            reader.expect("user_left", name="stalled")
        code, out, _ = server.finish()
        left = {r["name"]: r["reason"] for r in of_type(jsonl(out), "left")}
        assert left["stalled"] == "slow_reader", left
        assert of_type(jsonl(out), "summary")[0]["dropped_clients"] == 1


@test
def slowloris_partial_lines_cost_bounded_memory_and_time_out():
    with chat_server("--idle-timeout", "2", "--heartbeat", "1") as (server, host, port, _):
        raise_nofile(600)
        socks = [socket.create_connection((host, port)) for _ in range(500)]
        for s in socks:
            s.sendall(b'{"type":"join","na')  # never finished
        ok = ChatClient(host, port)
        ok.join("patient")
        before = rss_kib(server.pid)
        for _ in range(3):  # a byte a second for a while: each byte is progress, never a line
            for s in socks:
                s.sendall(b"a" * 1000)
            ok.send("ping")
            ok.expect("pong")
            time.sleep(0.5)
        assert rss_kib(server.pid) - before < 16 * 1024, "partial lines grew the server"
        time.sleep(3)  # silence: every loris is dropped with 408
        for s in socks[:20]:
            s.settimeout(5)
            data = b""
            while chunk := s.recv(65536):
                data += chunk
            assert b'"code":408' in data, data[-200:]
        for s in socks:
            s.close()


@test
def a_thousand_clients_join_and_leave():
    with chat_server("--rate", "0") as (server, host, port, _):
        watcher = ChatClient(host, port)
        watcher.join("watcher")
        start = rss_kib(server.pid)
        for rnd in range(10):
            batch = [ChatClient(host, port) for _ in range(100)]
            for i, cl in enumerate(batch):
                cl.send("join", name=f"r{rnd}-{i}")
            for cl in batch:
                cl.expect("welcome")
            for cl in batch:
                cl.close()
            joined = left = 0
            while left < 100:  # the watcher hears each of them come and go
                msg = watcher.recv()
                joined += msg["type"] == "user_joined"
                left += msg["type"] == "user_left"
            assert joined == 100
        assert rss_kib(server.pid) - start < 16 * 1024
        watcher.send("list")
        assert watcher.expect("user_list")["users"] == ["watcher"]
        code, out, _ = server.finish()
        summary = of_type(jsonl(out), "summary")[0]
        assert summary["connections"] == 1001, summary


@test
def ten_thousand_idle_joined_clients_fit_in_64_mib():
    n = 10000
    if raise_nofile(n + 500) < n + 500:
        skip("RLIMIT_NOFILE hard limit too low for 10,000 clients")
    with chat_server("--rate", "0") as (server, host, port, _):
        socks = []
        try:
            for i in range(n):
                s = socket.create_connection((host, port), timeout=10)
                s.sendall(b'{"type":"join","name":"idle%d"}\n' % i)
                socks.append(s)
            sel = selectors.DefaultSelector()
            for s in socks:
                s.setblocking(False)
                sel.register(s, selectors.EVENT_READ)
            welcomed, deadline = 0, time.monotonic() + 60
            while welcomed < n and time.monotonic() < deadline:
                for key, _ in sel.select(timeout=1):
                    data = key.fileobj.recv(65536)
                    if b'"welcome"' in data:
                        welcomed += 1
            assert welcomed == n, welcomed
            rss = rss_kib(server.pid)
            print(f"server RSS with {n} joined clients: {rss / 1024:.1f} MiB")
            assert rss < 64 * 1024, f"{rss} KiB"
        finally:
            for s in socks:
                s.close()


if __name__ == "__main__":
    run_tests()
