"""chat-server over TLS with openssl s_client as the client (a peer nobody here wrote), next to a python3
ssl client; a plaintext client on the TLS port is logged and the room goes on."""
import json
import os
import socket
import ssl
import subprocess
import tempfile
import time

from chat_util import ChatClient, chat_server
from ntlib import jsonl, of_type, require_peer, run_tests, test


def self_signed():
    require_peer("openssl")
    d = tempfile.mkdtemp(prefix="nettool-chat-tls-")
    cert, key = os.path.join(d, "cert.pem"), os.path.join(d, "key.pem")
    proc = subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                           "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
                           "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    return cert, key


class TlsChatClient(ChatClient):
    def __init__(self, host, port, cafile):
        ctx = ssl.create_default_context(cafile=cafile)
        raw = socket.create_connection((host, port), timeout=10)
        self.sock = ctx.wrap_socket(raw, server_hostname="127.0.0.1")
        self.nested = False
        self.buf = b""


@test
def openssl_s_client_chats_over_tls():
    cert, key = self_signed()
    with chat_server("--tls", "--cert", cert, "--key", key) as (server, host, port, rec):
        assert rec["tls"] is True
        py = TlsChatClient(host, port, cert)
        py.join("py")
        lines = b'{"type":"join","name":"openssl"}\n{"type":"message","text":"over TLS"}\n'
        proc = subprocess.Popen(["openssl", "s_client", "-quiet", "-no_ign_eof", "-CAfile", cert, "-verify_return_error",
                                 "-connect", f"{host}:{port}"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        proc.stdin.write(lines)
        proc.stdin.flush()
        py.expect("message", **{"from": "openssl", "text": "over TLS"})
        py.send("message", text="back to you")
        time.sleep(0.5)
        out, _ = proc.communicate(timeout=20)
        answers = [json.loads(line) for line in out.splitlines() if line.strip()]
        assert answers[0]["type"] == "welcome", answers
        assert any(a.get("text") == "back to you" for a in answers), answers
        plain = socket.create_connection((host, port))  # plaintext on the TLS port
        plain.sendall(b'{"type":"join","name":"plain"}\n')
        plain.settimeout(15)
        try:
            assert b"welcome" not in plain.recv(100), "a plaintext client got into a TLS room"
        except ConnectionResetError:
            pass  # the server refused it: fine
        plain.close()
        py.send("list")
        assert py.expect("user_list")["users"] == ["py"]
        code, out, _ = server.finish()
        recs = jsonl(out)
        assert of_type(recs, "tls"), "no tls record"
        assert of_type(recs, "handshake_failed"), "the plaintext client was not logged"


if __name__ == "__main__":
    run_tests()
