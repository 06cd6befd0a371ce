"""chat-server against raw line typists nobody here wrote (socat, OpenBSD nc): garbage, half lines, 1 MiB
lines, invalid UTF-8, 10,000 joins in one stream. The server answers, bounds its memory, and keeps
serving the well-behaved client beside them."""
import json
import os
import subprocess

from chat_util import ChatClient, chat_server, rss_kib
from ntlib import jsonl, of_type, require_peer, run_tests, test


def socat_lines(host, port, data, timeout=60):
    """Types `data` at the server through socat; returns the server's answers as dicts."""
    require_peer("socat")
    proc = subprocess.run(["socat", "-t", "3", "-", f"TCP:{host}:{port}"], input=data, capture_output=True,
                          timeout=timeout)
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def codes(answers):
    return [a.get("code") for a in answers if a["type"] == "error"]


@test
def garbage_is_answered_then_the_typist_is_cut_off_and_others_carry_on():
    with chat_server() as (server, host, port, _):
        bystander = ChatClient(host, port)
        bystander.join("bystander")
        other = ChatClient(host, port)
        other.join("other")
        garbage = b"".join(bytes([(i * 37 + k) % 256 for k in range(50)]).replace(b"\n", b"") + b"\n"
                           for i in range(40))
        answers = socat_lines(host, port, garbage)
        assert all(a["type"] == "error" for a in answers), answers
        assert len(answers) == 16, f"expected the 16th bad line to close it: {len(answers)} answers"
        other.send("message", text="still fine")
        bystander.expect("message", text="still fine")
        code, out, _ = server.finish()
        left = [r for r in of_type(jsonl(out), "left") if "name" not in r]
        assert left and left[0]["reason"] == "protocol_error", left


@test
def half_line_then_eof_is_eof_and_a_whole_session_is_quit():
    with chat_server() as (server, host, port, _):
        socat_lines(host, port, b'{"type":"join","name":"half"}\n{"type":"mess')
        socat_lines(host, port, b'{"type":"join","name":"whole"}\n{"type":"message","text":"bye"}\n')
        code, out, _ = server.finish()
        reasons = {r["name"]: r["reason"] for r in of_type(jsonl(out), "left")}
        assert reasons == {"half": "eof", "whole": "quit"}, reasons


@test
def a_one_mib_line_gets_413_and_the_next_line_works():
    with chat_server() as (server, host, port, _):
        before = rss_kib(server.pid)
        answers = socat_lines(host, port, b"{" + b"x" * (1 << 20) + b"}\n" + b'{"type":"join","name":"big"}\n')
        assert [a["type"] for a in answers] == ["error", "welcome"], answers
        assert codes(answers) == [413]
        assert rss_kib(server.pid) - before < 8 * 1024, "a long line grew the server"


@test
def invalid_utf8_is_refused_with_400():
    with chat_server() as (server, host, port, _):
        lines = [b'{"type":"join","name":"\xc0\xaf"}', b'{"type":"join","name":"\xed\xa0\x80"}',
                 b'{"type":"join","name":"\xf4\x90\x80\x80"}', b'{"type":"join","name":"ok\xe2\x82"}',
                 b'{"type":"join","name":"ok"}']
        answers = socat_lines(host, port, b"\n".join(lines) + b"\n")
        assert codes(answers) == [400, 400, 400, 400], answers
        assert answers[-1]["type"] == "welcome"


@test
def ten_thousand_joins_in_one_stream():
    with chat_server("--rate", "0") as (server, host, port, _):
        data = b"".join(b'{"type":"join","name":"n%d"}\n' % (i % 50) for i in range(10000))
        answers = socat_lines(host, port, data, timeout=120)
        assert len(answers) == 10000, len(answers)
        assert answers[0]["type"] == "welcome"
        assert codes(answers[1:]) == [409] * 9999
        bystander = ChatClient(host, port)
        bystander.join("n1")  # the typist left: its name is free


@test
def openbsd_nc_types_at_it():
    require_peer("nc")
    with chat_server() as (server, host, port, _):
        listener = ChatClient(host, port)
        listener.join("listener")
        proc = subprocess.run(["nc", "-N", "-w", "3", host, str(port)],
                              input=b'{"type":"join","name":"nc"}\r\n{"type":"message","text":"via nc"}\r\n',
                              capture_output=True, timeout=30)
        assert b'"welcome"' in proc.stdout, proc
        listener.expect("message", **{"from": "nc", "text": "via nc"})


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    run_tests()
