#!/usr/bin/env python3
"""--exec and socket activation: a listening TCP socket handed from `fd-pass send --tcp-listen` to
`fd-pass recv --exec nettool tcp-echo server --listen-fd 3` echoes; a python3 LISTEN_FDS consumer sees
its descriptors at 3, 4 with LISTEN_PID = its own pid; systemd-socket-activate starts tcp-echo server
through LISTEN_FDS (and chat-server, both ways); --allow-uid refuses a sender without running anything."""
import json
import os
import socket
import sys
import textwrap

import ntlib
from fdpass_util import wait_end, close_all, nettool_send, python_send, recv_process, tmpdir
from ntlib import jsonl, of_type, test

CONSUMER = textwrap.dedent("""
    import json, os, sys
    n = int(os.environ["LISTEN_FDS"])
    report = {"pid": os.getpid(), "listen_pid": int(os.environ["LISTEN_PID"]), "n": n,
              "names": os.environ.get("LISTEN_FDNAMES", "").split(":")}
    report["first"] = os.read(3, 100).decode()
    os.write(4, b"written by the consumer")
    report["open_after"] = sorted(int(x) for x in os.listdir("/proc/self/fd"))
    with open(sys.argv[1], "w") as f:
        json.dump(report, f)
""")


def echo_once(port, data=b"hello through a passed socket\n"):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as c:
        c.sendall(data)
        c.shutdown(socket.SHUT_WR)
        got = b""
        while chunk := c.recv(4096):
            got += chunk
    return got


@test
def tcp_listen_handed_to_tcp_echo():
    with tmpdir() as d:
        path = os.path.join(d, "s")
        with recv_process(path, "--exec", ntlib.NETTOOL, "tcp-echo", "server", "--listen-fd", "3",
                          "--jsonl") as proc:
            sender = nettool_send(path, "--tcp-listen", "127.0.0.1:0")
            address = of_type(jsonl(sender.stdout), "listening")[0]["address"]
            port = int(address.rsplit(":", 1)[1])
            seen = {}
            while len(seen) < 2:  # our exec record and tcp-echo's listening, in either order
                rec = proc.read_record(timeout=10)
                if rec["type"] == "exec" or (rec["type"] == "listening" and "threads" in rec):
                    seen[rec["type"]] = rec
            rec, served = seen["exec"], seen["listening"]  # served: tcp-echo's, on the inherited socket
            assert rec["listen_fds"] == 1 and rec["listen_fdnames"] == "tcp", rec
            assert served["address"] == address, (served, address)
            assert echo_once(port) == b"hello through a passed socket\n"
            code, out, err = proc.finish()
        assert code == 0, err  # SIGTERM passed on to tcp-echo, which exits 0 with a summary
        recs = jsonl(out)
        summaries = of_type(recs, "summary")
        assert {s["mode"] for s in summaries} == {"server", "recv"}, summaries
        assert [s for s in summaries if s["mode"] == "recv"][0]["exit_status"] == 0


@test
def tcp_echo_takes_listen_fds_by_itself():
    with tmpdir() as d:
        path = os.path.join(d, "s")
        with recv_process(path, "--exec", ntlib.NETTOOL, "tcp-echo", "server", "--jsonl") as proc:
            sender = nettool_send(path, "--tcp-listen", "127.0.0.1:0")
            address = of_type(jsonl(sender.stdout), "listening")[0]["address"]
            while True:
                rec = proc.read_record(timeout=10)
                if rec["type"] == "listening" and "threads" in rec:
                    break
            assert rec["address"] == address, (rec, address)  # LISTEN_FDS, not [::]:7007
            assert echo_once(int(address.rsplit(":", 1)[1])) == b"hello through a passed socket\n"


@test
def python_sender_exec_python_consumer():
    with tmpdir() as d:
        path = os.path.join(d, "s")
        report = os.path.join(d, "report.json")
        script = os.path.join(d, "consumer.py")
        with open(script, "w") as f:
            f.write(CONSUMER)
        r1, w1 = os.pipe()
        r2, w2 = os.pipe()
        os.write(w1, b"read by the consumer")
        os.close(w1)
        try:
            with recv_process(path, "--exec", sys.executable, script, report) as proc:
                python_send(path, [r1, w2], payload=b"input:output")
                rec = proc.wait_for("summary", timeout=20)
                code, out, err = wait_end(proc)
            assert code == 0, err
            assert rec["exit_status"] == 0, rec
            close_all([w2])
            assert os.read(r2, 100) == b"written by the consumer"
        finally:
            close_all([r1, r2, w2])
        with open(report) as f:
            got = json.load(f)
        assert got["listen_pid"] == got["pid"], got  # LISTEN_PID set in the child
        assert got["n"] == 2 and got["names"] == ["input", "output"], got
        assert got["first"] == "read by the consumer"
        # 0, 1, 2, the two descriptors, and python's own listdir descriptor: nothing of nettool's leaked
        assert got["open_after"][:5] == [0, 1, 2, 3, 4] and len(got["open_after"]) <= 6, got


@test
def exec_status_is_passed_through():
    with tmpdir() as d:
        path = os.path.join(d, "s")
        with recv_process(path, "--exec", "sh", "-c", 'test "$LISTEN_FDS" = 1 && exit 7') as proc:
            python_send(path, [0])
            code, out, err = wait_end(proc)
        assert code == 7, (code, err)


@test
def systemd_socket_activate_starts_tcp_echo():
    ntlib.require_peer("systemd-socket-activate")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cmd = ["systemd-socket-activate", "-l", f"127.0.0.1:{port}", ntlib.NETTOOL, "tcp-echo", "server",
           "--jsonl"]
    with ntlib.Process(raw_cmd=cmd) as proc:
        ntlib.wait_port("127.0.0.1", port)  # systemd-socket-activate listens; tcp-echo starts on the 1st client
        assert echo_once(port, b"activated\n") == b"activated\n"
        rec = proc.wait_for("listening")
        assert rec["address"] == f"127.0.0.1:{port}", rec


@test
def allow_uid_refuses_other_senders():
    with tmpdir() as d:
        path = os.path.join(d, "s")
        marker = os.path.join(d, "ran")
        other = os.getuid() + 4242
        with recv_process(path, "--allow-uid", other, "--exec", "touch", marker) as proc:
            try:
                python_send(path, [0])
            except OSError:
                pass  # the receiver may close before python's send
            code, out, err = wait_end(proc)
        assert code == 1, (code, err)
        refused = of_type(jsonl(out), "refused")
        assert refused and refused[0]["uid"] == os.getuid() and refused[0]["allowed_uid"] == other
        assert not os.path.exists(marker), "the command ran although the sender was refused"
        with recv_process(path, "--allow-uid", os.getuid()) as proc:
            python_send(path, [0])
            code, out, err = wait_end(proc)
        assert code == 0, err


def chat_join(port, name=b"pat"):
    """Joins a chat-server on 127.0.0.1:PORT and returns its first line (the welcome)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as c:
        c.sendall(b'{"type":"join","name":"' + name + b'"}\n')
        line = b""
        while not line.endswith(b"\n"):
            chunk = c.recv(4096)
            assert chunk, line
            line += chunk
    return json.loads(line.split(b"\n")[0])


@test
def tcp_listen_handed_to_chat_server():
    with tmpdir() as d:
        path = os.path.join(d, "s")
        with recv_process(path, "--exec", ntlib.NETTOOL, "chat-server", "--listen-fd", "3", "--jsonl") as proc:
            sender = nettool_send(path, "--tcp-listen", "127.0.0.1:0")
            address = of_type(jsonl(sender.stdout), "listening")[0]["address"]
            while True:
                rec = proc.read_record(timeout=10)
                if rec["type"] == "listening" and "max_clients" in rec:  # chat-server's, not recv's
                    break
            assert rec["address"] == address, (rec, address)
            assert chat_join(int(address.rsplit(":", 1)[1]))["type"] == "welcome"


@test
def systemd_socket_activate_starts_chat_server():
    ntlib.require_peer("systemd-socket-activate")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cmd = ["systemd-socket-activate", "-l", f"127.0.0.1:{port}", ntlib.NETTOOL, "chat-server", "--jsonl"]
    with ntlib.Process(raw_cmd=cmd) as proc:
        ntlib.wait_port("127.0.0.1", port)
        assert chat_join(port)["type"] == "welcome"
        rec = proc.wait_for("listening")
        assert rec["address"] == f"127.0.0.1:{port}", rec


ntlib.run_tests()
