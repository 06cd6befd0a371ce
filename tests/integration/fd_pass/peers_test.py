#!/usr/bin/env python3
"""fd-pass against python3's own SCM_RIGHTS (socket.send_fds / recv_fds), both ways: files read through
the passed descriptors, names, peer identity, SCM_MAX_FD splitting, MSG_CTRUNC on both sides."""
import os
import socket
import subprocess

import ntlib
from fdpass_util import wait_end, PythonReceiver, close_all, nettool_send, python_send, recv_process, tmpdir
from ntlib import jsonl, of_type, test


@test
def nettool_sends_python_reads_the_files():
    with tmpdir() as d:
        data = os.path.join(d, "data.txt")
        with open(data, "w") as f:
            f.write("through the descriptor\n")
        path = os.path.join(d, "s")
        rx = PythonReceiver(path)
        r, w = os.pipe()
        try:
            os.write(w, b"pipe bytes")
            proc = nettool_send(path, "--fd", f"{r}:in", "--open", data, pass_fds=[r])
        finally:
            close_all([r, w])
        messages = rx.join()
        assert len(messages) == 1, messages
        payload, fds, flags, = messages[0]
        assert payload == b"in:file", payload
        assert len(fds) == 2 and not flags & socket.MSG_CTRUNC
        assert os.read(fds[0], 100) == b"pipe bytes"
        assert os.read(fds[1], 100) == b"through the descriptor\n"
        close_all(fds)
        recs = jsonl(proc.stdout)
        desc = of_type(recs, "descriptor")
        assert [x["kind"] for x in desc] == ["pipe", "file"], desc
        assert desc[1]["path"] == data and desc[1]["size_bytes"] == 23
        peer = of_type(recs, "peer")[0]
        assert peer["pid"] == os.getpid() and peer["uid"] == os.getuid()
        summary = of_type(recs, "summary")[0]
        assert summary["descriptors"] == 2 and summary["messages"] == 1


@test
def python_sends_nettool_describes():
    with tmpdir() as d:
        path = os.path.join(d, "s")
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        ev = os.eventfd(0)
        r, w = os.pipe()
        with recv_process(path) as proc:
            python_send(path, [listener.fileno(), ev, w], payload=b"web:events:out")
            code, out, err = wait_end(proc)
        close_all([ev, r, w])
        listener.close()
        assert code == 0, err
        recs = jsonl(out)
        desc = of_type(recs, "descriptor")
        assert [x["name"] for x in desc] == ["web", "events", "out"], desc
        assert [x["kind"] for x in desc] == ["socket", "eventfd", "pipe"], desc
        sock = desc[0]
        assert sock["family"] == "inet" and sock["socket_type"] == "stream" and sock["listening"] is True
        assert sock["local_address"].startswith("127.0.0.1:") and sock["peer_address"] is None
        assert all(x["cloexec"] for x in desc), "MSG_CMSG_CLOEXEC"
        msg = of_type(recs, "message")[0]
        assert msg["sender_pid"] == os.getpid() and msg["descriptors"] == 3
        peer = of_type(recs, "peer")[0]
        assert peer["pid"] == os.getpid()
        assert peer["pidfd"] is True or "Linux 6.5" in peer["pidfd_note"], peer


@test
def nettool_to_nettool_splits_past_scm_max_fd():
    with tmpdir() as d:
        path = os.path.join(d, "s")
        with recv_process(path) as proc:
            sender = nettool_send(path, *(["--open", "/dev/null"] * 300))
            code, out, err = wait_end(proc)
        assert code == 0, err
        sent = of_type(jsonl(sender.stdout), "message")
        assert [(m["part"], m["parts"], m["descriptors"]) for m in sent] == [(1, 2, 253), (2, 2, 47)], sent
        recs = jsonl(out)
        got = of_type(recs, "message")
        assert [(m["part"], m["parts"], m["descriptors"]) for m in got] == [(1, 2, 253), (2, 2, 47)], got
        desc = of_type(recs, "descriptor")
        assert len(desc) == 300 and {x["path"] for x in desc} == {"/dev/null"}
        assert [x["index"] for x in desc] == list(range(300))


@test
def python_receiver_sees_numbered_parts():
    with tmpdir() as d:
        path = os.path.join(d, "s")
        rx = PythonReceiver(path, maxfds=253)
        nettool_send(path, *(["--open", "/dev/null"] * 260))
        messages = rx.join()
        assert [m[0].split(b" ")[0] for m in messages] == [b"#1/2", b"#2/2"], [m[0][:8] for m in messages]
        assert [len(m[1]) for m in messages] == [253, 7]
        for m in messages:
            close_all(m[1])


@test
def python_receiver_with_small_control_buffer_sees_ctrunc():
    with tmpdir() as d:
        path = os.path.join(d, "s")
        rx = PythonReceiver(path, ancbufsize=socket.CMSG_SPACE(2 * 4))
        nettool_send(path, *(["--open", "/dev/null"] * 5))
        messages = rx.join()
        assert messages and messages[0][2] & socket.MSG_CTRUNC, messages
        assert len(messages[0][1]) == 2
        close_all(messages[0][1])


@test
def nettool_reports_ctrunc_naming_how_many():
    with tmpdir() as d:
        path = os.path.join(d, "s")
        fds = [os.open("/dev/null", os.O_RDONLY) for _ in range(10)]
        try:
            with recv_process(path, "--max-fds", "2") as proc:
                python_send(path, fds, payload=b":".join([b"n"] * 10))
                code, out, err = wait_end(proc)
        finally:
            close_all(fds)
        assert code == 3, (code, err)
        assert "MSG_CTRUNC: 8 of 10 descriptors lost" in err and "--max-fds" in err, err
        assert not of_type(jsonl(out), "descriptor")


@test
def rlimit_nofile_on_receive_is_named():
    if not ntlib.have("prlimit"):
        ntlib.skip("prlimit (util-linux) is not installed")
    with tmpdir() as d:
        path = os.path.join(d, "s")
        fds = [os.open("/dev/null", os.O_RDONLY) for _ in range(40)]
        cmd = ["prlimit", "--nofile=16:16", ntlib.NETTOOL, "fd-pass", "recv", "--socket", path, "--jsonl",
               "--timeout", "20"]
        try:
            with ntlib.Process(raw_cmd=cmd) as proc:
                proc.wait_for("listening")
                python_send(path, fds, payload=b":".join([b"n"] * 40))
                code, out, err = wait_end(proc)
        finally:
            close_all(fds)
        assert code == 3, (code, err)
        assert "RLIMIT_NOFILE 16 reached" in err and "of 40 descriptors lost" in err, err


@test
def sender_listens_receiver_connects():
    with tmpdir() as d:
        path = os.path.join(d, "s")
        with ntlib.Process("fd-pass", "send", "--socket", path, "--listen", "--open", "/etc/hostname",
                           "--jsonl", "--timeout", "20") as sender:
            rec = sender.wait_for("listening")
            assert rec["what"] == "socket" and rec["address"] == f"unix:{path}", rec
            got = ntlib.nettool("fd-pass", "recv", "--socket", path, "--connect", "--jsonl", check=0)
            code, out, err = wait_end(sender)
        assert code == 0, err
        desc = of_type(jsonl(got.stdout), "descriptor")
        assert [(x["name"], x["path"]) for x in desc] == [("file", "/etc/hostname")], desc
        assert not os.path.exists(path), "the sender left its socket file behind"
        # python connecting to a listening sender
        with ntlib.Process("fd-pass", "send", "--socket", path, "--listen", "--fd", "0:stdin", "--jsonl") as sender:
            sender.wait_for("listening")
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as c:
                c.connect(path)
                data, fds, _, _ = socket.recv_fds(c, 1024, 10)
            assert data == b"stdin" and len(fds) == 1, (data, fds)
            os.close(fds[0])
            code, _, err = wait_end(sender)
        assert code == 0, err


@test
def abstract_socket_and_json_document():
    name = f"@fdpass-test-{os.getpid()}"
    proc = ntlib.Process("fd-pass", "recv", "--socket", name, "--json", "--timeout", "20")
    with proc:
        deadline_ok = False
        for _ in range(50):
            try:
                sender = nettool_send(name, "--open", "/etc/hostname", check=None)
            except subprocess.TimeoutExpired:
                break
            if sender.returncode == 0:
                deadline_ok = True
                break
            import time
            time.sleep(0.1)
        assert deadline_ok, sender.stderr
        code, out, err = wait_end(proc)
    assert code == 0, err
    doc = ntlib.jq_ok(out, ".records | map(.type) | join(\",\")")
    assert "descriptor" in doc and "summary" in doc, doc


ntlib.run_tests()
