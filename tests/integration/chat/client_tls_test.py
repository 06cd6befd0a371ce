"""chat-client over TLS against a python3 ssl chat server: verified by default (--ca), refused when the
chain or the pin does not match (exit 3), --insecure only on request."""
import os
import shutil
import sys

from client_util import ChatServer
from ntlib import jsonl, nettool, of_type, run_tests, test

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tcp_echo"))
from tls_util import Pki  # noqa: E402  (the certificates of the tcp-echo TLS tests)

_pki = None


def pki():
    global _pki
    if _pki is None:
        _pki = Pki()
    return _pki


def target_of(server):
    return server.target.replace("127.0.0.1", "localhost")


@test
def verified_tls_session_with_the_ca():
    p = pki()
    with ChatServer(tls=(p.cert("server"), p.key("server"))) as server:
        proc = nettool("chat-client", target_of(server), "-4", "-n", "alice", "--tls", "--ca", p.cert("ca"),
                       "--send", "secret", "--exit", "--jsonl", check=0)
        records = jsonl(proc.stdout)
        tls = of_type(records, "tls")
        assert tls and tls[0]["version"].startswith("TLSv1."), records
        assert of_type(records, "message")[0]["text"] == "secret"


@test
def untrusted_or_pinned_wrong_exits_3_and_insecure_connects():
    p = pki()
    with ChatServer(tls=(p.cert("server"), p.key("server"))) as server:
        proc = nettool("chat-client", target_of(server), "-4", "-n", "al", "--tls", "--send", "x", "--exit")
        assert proc.returncode == 3, (proc.returncode, proc.stderr)
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        proc = nettool("chat-client", target_of(server), "-4", "-n", "al", "--tls", "--ca", p.cert("ca"),
                       "--pin", p.pin("client"), "--send", "x", "--exit")
        assert proc.returncode == 3 and "pin" in proc.stderr, (proc.returncode, proc.stderr)
        proc = nettool("chat-client", target_of(server), "-4", "-n", "al", "--tls", "--insecure", "--send", "x",
                       "--exit", check=0)
        assert "insecure" in proc.stderr, proc.stderr


try:
    run_tests()
finally:
    if _pki is not None:
        shutil.rmtree(_pki.dir, ignore_errors=True)
