#!/usr/bin/env python3
"""fd-pass's errors: exit 2 with one stderr line naming the input (socket path missing or not a socket,
a descriptor that is not open, a command that cannot run, an inherited socket that is not listening),
exit 3 for runtime failures (nobody listening, the peer closing without descriptors), and a regular
file at a --listen path is refused, never deleted."""
import os
import socket

import ntlib
from fdpass_util import nettool_send, recv_process, tmpdir, wait_end
from ntlib import assert_usage_error, nettool, test


@test
def socket_path_missing():
    with tmpdir() as d:
        path = os.path.join(d, "nothing")
        assert_usage_error(nettool("fd-pass", "send", "--socket", path, "--fd", "0"), path, "No such file")
        assert_usage_error(nettool("fd-pass", "recv", "--connect", "--socket", path), path)


@test
def socket_path_not_a_socket():
    with tmpdir() as d:
        path = os.path.join(d, "file")
        with open(path, "w") as f:
            f.write("keep me")
        assert_usage_error(nettool("fd-pass", "send", "--socket", path, "--fd", "0"), path, "not a socket")
        assert_usage_error(nettool("fd-pass", "recv", "--socket", path), path, "not a socket")
        with open(path) as f:
            assert f.read() == "keep me", "a regular file at the --listen path was touched"


@test
def descriptor_not_open():
    with tmpdir() as d:
        path = os.path.join(d, "s")
        proc = nettool("fd-pass", "send", "--socket", path, "--fd", "57:web")
        assert_usage_error(proc, "--fd '57:web'", "descriptor 57 is not open")


@test
def bad_fd_spec_and_names():
    assert_usage_error(nettool("fd-pass", "send", "--socket", "/tmp/x", "--fd", "3:a:b"), "--fd '3:a:b'")
    assert_usage_error(nettool("fd-pass", "send", "--socket", "/tmp/x"), "nothing to send")
    assert_usage_error(nettool("fd-pass", "send", "--socket", "/tmp/x", "--open", "/nonexistent/f"),
                       "--open '/nonexistent/f'")
    assert_usage_error(nettool("fd-pass", "recv", "--socket", "/tmp/x", "--exec"), "--exec")
    assert_usage_error(nettool("fd-pass", "recv", "--socket", "/tmp/x", "stray"), "stray")


@test
def nobody_listening_is_a_runtime_failure():
    with tmpdir() as d:
        path = os.path.join(d, "stale")
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(path)
        s.close()  # a socket file nobody listens on
        proc = nettool("fd-pass", "send", "--socket", path, "--fd", "0")
        assert proc.returncode == 3, (proc.returncode, proc.stderr)
        assert "nobody is listening" in proc.stderr and path in proc.stderr


@test
def peer_closing_without_descriptors():
    with tmpdir() as d:
        path = os.path.join(d, "s")
        with recv_process(path) as proc:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as c:
                c.connect(path)
                c.sendall(b"no descriptors here")
            code, out, err = wait_end(proc)
        assert code == 3, (code, err)
        assert "closed without passing any descriptor" in err, err


@test
def flood_without_descriptors_is_cut_off():
    with tmpdir() as d:
        path = os.path.join(d, "s")
        with recv_process(path) as proc:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as c:
                c.connect(path)
                c.settimeout(10)
                try:
                    for _ in range(40):  # 2.5 MiB, bounded
                        c.sendall(b"\0" * 65536)
                except OSError:
                    pass  # the receiver stopped reading and closed: what this test wants
            code, out, err = wait_end(proc)
        assert code == 3, (code, err)
        assert "over 1 MiB without passing any descriptor" in err, err


@test
def exec_command_not_found():
    with tmpdir() as d:
        path = os.path.join(d, "s")
        with recv_process(path, "--exec", "/nonexistent/daemon", "--flag") as proc:
            nettool_send(path, "--fd", "0")
            code, out, err = wait_end(proc)
        assert code == 2, (code, err)
        assert "cannot run '/nonexistent/daemon'" in err, err


@test
def tcp_echo_listen_fd_checks():
    assert_usage_error(nettool("tcp-echo", "server", "--listen-fd", "0"), "--listen-fd 0")
    assert_usage_error(nettool("tcp-echo", "server", "--listen-fd", "63"), "--listen-fd 63", "not open")
    with socket.socket() as unbound:  # a socket, but not listening
        proc = ntlib.subprocess.run([ntlib.NETTOOL, "tcp-echo", "server", "--listen-fd", str(unbound.fileno())],
                                    capture_output=True, text=True, timeout=10, pass_fds=[unbound.fileno()])
        assert_usage_error(proc, "not listening")
    assert_usage_error(nettool("tcp-echo", "server", "--listen-fd", "3", "--listen", ":0"), "--listen")
    env = {"LISTEN_PID": "notapid", "LISTEN_FDS": "1"}
    assert_usage_error(nettool("tcp-echo", "server", env=env), "LISTEN_PID")


@test
def json_error_record():
    with tmpdir() as d:
        proc = nettool("fd-pass", "send", "--socket", os.path.join(d, "x"), "--fd", "0", "--json")
        assert proc.returncode == 2
        doc = ntlib.jq_ok(proc.stdout, '.records[-1].type')
        assert doc.strip() == '"error"', doc


ntlib.run_tests()
