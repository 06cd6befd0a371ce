"""tcp-echo --tls: the nettool client against socat's OPENSSL-LISTEN; openssl s_client, socat OPENSSL: and
python's ssl against the nettool server; every failure with its words and exit code; a server that keeps
serving after plaintext and garbage; SIGHUP reload. Certificates come from the openssl CLI (tls_util)."""
import contextlib
import os
import select
import shutil
import signal
import socket
import ssl
import subprocess
import time

from echo_util import FakeServer, echo_server, free_port
from ntlib import jsonl, nettool, of_type, require_peer, run_tests, test, wait_port
from tls_util import Pki

PKI = Pki()


def server_tls(name="server", *extra):
    return ("--tls", "--cert", PKI.cert(name), "--key", PKI.key(name), *extra)


def client(target, *args, input=None, check=None, timeout=30):
    return nettool("tcp-echo", "client", target, "--tls", *args, input=input, check=check, timeout=timeout)


def one_error_line(proc, *needles):
    assert proc.returncode == 3, f"exit {proc.returncode}, expected 3; stderr={proc.stderr!r}"
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, f"expected one stderr line, got {lines!r}"
    for n in needles:
        assert n in lines[0], f"{n!r} not in {lines[0]!r}"


def python_tls(port, cafile=None, hostname="localhost", cert=None, alpn=None):
    ctx = ssl.create_default_context(cafile=cafile or PKI.cert("ca"))
    if cert:
        ctx.load_cert_chain(PKI.cert(cert), PKI.key(cert))
    if alpn:
        ctx.set_alpn_protocols(alpn)
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    return ctx.wrap_socket(raw, server_hostname=hostname)


def echo_once(sock, data):
    sock.sendall(data)
    got = b""
    while len(got) < len(data):
        chunk = sock.recv(65536)
        assert chunk, "server closed early"
        got += chunk
    return got


@contextlib.contextmanager
def socat_tls_echo():
    require_peer("socat")
    port = free_port()
    cmd = ["socat", f"OPENSSL-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork,cert={PKI.cert('server')},"
           f"key={PKI.key('server')},verify=0", "PIPE"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port("127.0.0.1", port)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=5)


@test
def nettool_client_against_socat_openssl_in_every_mode():
    with socat_tls_echo() as port:
        target = f"127.0.0.1:{port}"
        ca = ("--ca", PKI.cert("ca"))
        data = os.urandom(300_000)
        assert client(target, *ca, "--stdin", input=data, check=0).stdout == data
        recs = jsonl(client(target, *ca, "-c", "3", "-i", "0.05", "--jsonl", check=0).stdout)
        tls = of_type(recs, "tls")[0]
        assert tls["version"] == "TLSv1.3" and tls["verify"] == "ok", tls
        assert tls["subject"] == "CN=localhost" and tls["issuer"] == "CN=nettool test CA", tls
        assert tls["sans"] == ["localhost", "127.0.0.1", "::1"], tls
        assert tls["pin"] == PKI.pin("server") and len(tls["sha256_fingerprint"]) == 95, tls
        assert tls["handshake_ms"] > 0 and tls["not_after"].endswith("Z"), tls
        client(f"localhost:{port}", *ca, "-c", "1", check=0)
        client(target, *ca, "--bulk", "4M", check=0)
        client(target, *ca, "--bench", "-C", "4", "-d", "1", check=0)
        client(target, *ca, "--tls-min", "1.3", "-c", "1", check=0)


@test
def openssl_s_client_socat_and_python_against_nettool_server():
    require_peer("socat")
    with echo_server(*server_tls()) as (server, host, port):
        proc = subprocess.Popen(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-CAfile", PKI.cert("ca"),
                                 "-verify_return_error", "-servername", "localhost", "-quiet"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        try:
            proc.stdin.write(b"hello s_client\n")
            proc.stdin.flush()
            ready, _, _ = select.select([proc.stdout], [], [], 10)
            assert ready and proc.stdout.readline() == b"hello s_client\n"
        finally:
            proc.kill()
            proc.wait()
        out = subprocess.run(["socat", "-t", "3", "-", f"OPENSSL:127.0.0.1:{port},cafile={PKI.cert('ca')},"
                              "commonname=localhost"], input=b"hello socat\n", capture_output=True, timeout=20)
        assert out.stdout == b"hello socat\n", out
        with python_tls(port) as s:
            assert echo_once(s, b"hello python" * 1000) == b"hello python" * 1000
            assert s.version() == "TLSv1.3"
            s.unwrap()  # close_notify both ways
        rec = server.wait_for("tls")
        assert rec["version"] == "TLSv1.3" and rec["verify"] == "not requested" and "conn_id" in rec, rec


@test
def python_client_alpn_and_client_certificates():
    with echo_server(*server_tls("server", "--client-ca", PKI.cert("ca"), "--alpn", "echo,x")) as (server, _, port):
        with python_tls(port, cert="client", alpn=["x", "echo"]) as s:
            assert s.selected_alpn_protocol() == "echo"
            assert echo_once(s, b"ping") == b"ping"
        rec = server.wait_for("tls")
        assert rec["subject"] == "CN=test client" and rec["verify"] == "ok" and rec["alpn"] == "echo", rec
        client(f"127.0.0.1:{port}", "--ca", PKI.cert("ca"), "--cert", PKI.cert("client"), "--key",
               PKI.key("client"), "-c", "1", check=0)
        with contextlib.suppress(ssl.SSLError, OSError):
            with python_tls(port) as s:  # TLS 1.3: the refusal comes with the first read
                s.sendall(b"x")
                s.recv(10)
        failed = server.wait_for("handshake_failed")
        assert "certificate" in failed["reason"], failed


@test
def verification_failures_exit_3_with_the_reason():
    with echo_server(*server_tls()) as (_, _h, port):
        target = f"127.0.0.1:{port}"
        one_error_line(client(target, "-c", "1"), "unable to get local issuer certificate (untrusted CA)")
        one_error_line(client(target, "--ca", PKI.cert("other-ca"), "-c", "1"), "(untrusted CA)")
        wrong_pin = PKI.pin("client")
        one_error_line(client(target, "--ca", PKI.cert("ca"), "--pin", wrong_pin, "-c", "1"),
                       f"pin mismatch: got {PKI.pin('server')}")
        ok = client(target, "--insecure", "--pin", PKI.pin("server"), "-c", "1", check=0)
        assert "--insecure" in ok.stderr
        ok = client(target, "--insecure", "-c", "1", check=0)
        assert "warning" in ok.stderr and "not verified" in ok.stderr
    with echo_server(*server_tls("expired")) as (_, _h, port):
        one_error_line(client(f"127.0.0.1:{port}", "--ca", PKI.cert("ca"), "-c", "1"),
                       f"certificate has expired (not after {PKI.not_after('expired')})")
    with echo_server(*server_tls("wrong-name")) as (_, _h, port):
        one_error_line(client(f"127.0.0.1:{port}", "--ca", PKI.cert("ca"), "-c", "1"),
                       "certificate is for 'example.org' not '127.0.0.1'")
        client(f"127.0.0.1:{port}", "--ca", PKI.cert("ca"), "--servername", "example.org", "-c", "1", check=0)


@test
def plaintext_server_and_silent_server_fail_in_words():
    banner = FakeServer(lambda conn: conn.sendall(b"220 plain old SMTP\r\n"))
    one_error_line(client(f"127.0.0.1:{banner.port}", "-c", "1"), "peer spoke plaintext, not TLS")
    silent = FakeServer(lambda conn: time.sleep(3))
    start = time.monotonic()
    one_error_line(client(f"127.0.0.1:{silent.port}", "--timeout", "0.5", "-c", "1"), "timed out")
    assert time.monotonic() - start < 3


@test
def server_logs_bad_handshakes_and_keeps_serving():
    with echo_server(*server_tls()) as (server, _h, port):
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(b"GET / HTTP/1.0\r\n\r\n")
            with contextlib.suppress(ConnectionResetError):  # closed unread: the kernel may reset
                assert s.recv(100) == b""  # no answer
        rec = server.wait_for("handshake_failed")
        assert rec["reason"].startswith("peer spoke plaintext, not TLS"), rec
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(b"\x16\x03\x01\x00\x20" + b"\xde\xad\xbe\xef" * 8)
            with contextlib.suppress(ConnectionResetError):
                s.recv(100)
        rec = server.wait_for("handshake_failed")
        assert rec["reason"].startswith("TLS protocol error"), rec
        with python_tls(port) as s:
            assert echo_once(s, b"still serving") == b"still serving"


@test
def sighup_reloads_the_certificate_for_new_connections():
    cert, key = PKI.path("live.pem"), PKI.path("live.key")
    shutil.copy(PKI.cert("server"), cert)
    shutil.copy(PKI.key("server"), key)
    with echo_server("--tls", "--cert", cert, "--key", key) as (server, _h, port):
        old = python_tls(port)
        assert echo_once(old, b"before") == b"before"
        shutil.copy(PKI.cert("wrong-name"), cert)
        shutil.copy(PKI.key("wrong-name"), key)
        os.kill(server.pid, signal.SIGHUP)
        assert server.wait_for("reload")["ok"] is True
        with python_tls(port, hostname="example.org") as s:
            assert echo_once(s, b"new cert") == b"new cert"
        assert echo_once(old, b"old session lives") == b"old session lives"
        old.close()
        with open(key, "w") as f:
            f.write("not a key\n")
        os.kill(server.pid, signal.SIGHUP)
        rec = server.wait_for("reload")
        assert rec["ok"] is False and rec["error"], rec
        with python_tls(port, hostname="example.org") as s:
            assert echo_once(s, b"kept") == b"kept"


@test
def tls_options_need_tls_and_valid_values():
    for args in (["client", "127.0.0.1:1", "--ca", "x"], ["client", "127.0.0.1:1", "--insecure"],
                 ["server", "--cert", "x"], ["server", "--tls"], ["client", "127.0.0.1:1", "--tls", "--pin", "x"],
                 ["client", "127.0.0.1:1", "--tls", "--tls-min", "1.1"]):
        proc = nettool("tcp-echo", *args)
        assert proc.returncode == 2, (args, proc.returncode, proc.stderr)
    proc = nettool("tcp-echo", "server", "--tls", "--cert", PKI.path("missing.pem"), "--listen", "127.0.0.1:0")
    one_error_line(proc, "missing.pem")


try:
    run_tests()
finally:
    PKI.cleanup()
