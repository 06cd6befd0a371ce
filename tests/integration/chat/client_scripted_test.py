"""chat-client, scripted mode, against a chat server written in this test from issue 12's protocol text:
the flat form and the textbook implementation's nested `data` form; TCP, unix and abstract sockets."""
import json
import socket
import subprocess
import time

from client_util import ChatServer, RawClient, abstract_name
from ntlib import NETTOOL, jq_ok, jsonl, nettool, of_type, run_tests, test


def chat(*args, **kw):
    return nettool("chat-client", *args, **kw)


def sent_by(server, name):
    return [o for n, o in server.received if n == name]


@test
def send_then_exit_after_the_acknowledgement_flat_and_nested():
    for nested in (False, True):
        with ChatServer(nested=nested) as server:
            proc = chat(server.target, "--name", "alice", "--send", "hello", "--send", "world", "--exit", "--jsonl",
                        check=0)
            records = jsonl(proc.stdout)
            jq_ok(proc.stdout)
            assert [r["type"] for r in records] == ["connected", "welcome", "message", "message", "user_list",
                                                    "summary"], records
            # Flat records whatever the server's form, with type and time first.
            message = of_type(records, "message")[0]
            assert list(message)[:2] == ["type", "time"] and message["from"] == "alice", message
            assert message["text"] == "hello" and "data" not in message
            assert of_type(records, "user_list")[0]["users"] == ["alice"]
            # The server saw flat lines in order: join, the messages, then the acknowledgement's list.
            assert server.received == [(None, {"type": "join", "name": "alice"}),
                                       ("alice", {"type": "message", "text": "hello"}),
                                       ("alice", {"type": "message", "text": "world"}),
                                       ("alice", {"type": "list"})], server.received


@test
def stdin_lines_are_messages_and_its_end_ends_the_run():
    with ChatServer() as server:
        proc = chat(server.target, "-n", "bot", input="one\n\ntwo\nthree without newline", check=0)
        texts = [o["text"] for o in sent_by(server, "bot") if o["type"] == "message"]
        assert texts == ["one", "two", "three without newline"], texts
        assert "<bot> one" in proc.stdout and "<bot> three without newline" in proc.stdout, proc.stdout


@test
def text_mode_escapes_what_the_network_sent():
    with ChatServer() as server:
        proc = subprocess.Popen([NETTOOL, "chat-client", server.target, "-n", "al", "--wait-for", "from=evil"],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        server.wait_joined(1)
        evil = RawClient(server.target, "evil")
        evil.send({"type": "message", "text": "\x1b]0;owned\x07\x1b[2J hi \x9b"})
        out, err = proc.communicate(timeout=15)
        assert proc.returncode == 0, err
        assert b"\x1b" not in out and b"\x07" not in out, out
        assert b"\\x1b]0;owned\\x07\\x1b[2J hi \\xc2\\x9b" in out, out
        evil.close()


@test
def wait_for_matches_another_clients_message_or_times_out_with_1():
    with ChatServer(nested=True) as server:
        proc = subprocess.Popen([NETTOOL, "chat-client", server.target, "-n", "ci", "--jsonl",
                                 "--wait-for", "type=message,from=bob,text~deploy"],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        server.wait_joined(1)
        bob = RawClient(server.target, "bob")
        bob.send({"type": "message", "text": "not yet"})
        bob.send({"type": "message", "text": "deploy done"})
        out, err = proc.communicate(timeout=15)
        assert proc.returncode == 0, err
        records = jsonl(out)
        assert records[-2]["text"] == "deploy done", records  # the match is the last event
        assert "not yet" in out
        bob.close()
        start = time.monotonic()
        proc = chat(server.target, "-n", "ci2", "--wait-for", "type=message,from=nobody", "--timeout", "0.5")
        assert proc.returncode == 1 and time.monotonic() - start < 5, (proc.returncode, proc.stderr)
        assert proc.stderr.strip() == "nettool chat-client: no record matched --wait-for within 0.5 s", proc.stderr


@test
def unix_and_abstract_targets():
    import os
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "chat.sock")
        for address in (path, "\0" + abstract_name()):
            with ChatServer(address=address, family=socket.AF_UNIX) as server:
                proc = chat(server.target, "-n", "local", "--send", "over unix", "--exit", "--jsonl", check=0)
                assert of_type(jsonl(proc.stdout), "message")[0]["text"] == "over unix", proc.stdout


@test
def server_errors_and_closes_are_negative_answers():
    with ChatServer() as server:
        holder = RawClient(server.target, "bob")
        proc = chat(server.target, "-n", "bob", "--send", "x", "--exit", "--jsonl")
        assert proc.returncode == 1, (proc.returncode, proc.stderr)
        assert "refused the join as 'bob': error 409: name taken" in proc.stderr, proc.stderr
        assert of_type(jsonl(proc.stdout), "error")[0]["code"] == 409
        holder.close()
    with ChatServer(close_after_welcome=1) as server:
        proc = chat(server.target, "-n", "al", "--stay")
        assert proc.returncode == 1 and "closed by the server" in proc.stderr, (proc.returncode, proc.stderr)


@test
def reconnects_with_backoff_and_rejoins_under_the_same_name():
    with ChatServer(close_after_welcome=2) as server:
        proc = subprocess.Popen([NETTOOL, "chat-client", server.target, "-n", "alice", "--reconnect", "--jsonl",
                                 "--wait-for", "type=message,from=bob"],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        server.wait_joined(3, timeout=15)
        time.sleep(0.2)
        bob = RawClient(server.target, "bob")
        bob.send({"type": "message", "text": "welcome back"})
        out, err = proc.communicate(timeout=15)
        assert proc.returncode == 0, err
        records = jsonl(out)
        reconnecting = of_type(records, "reconnecting")
        assert [r["attempt"] for r in reconnecting] == [1, 2], reconnecting
        # The first pause is within [base/2, base] = [0.25, 0.5] s; the second within [0.5, 1] s.
        assert 0.25 <= reconnecting[0]["delay_s"] <= 0.5 and 0.5 <= reconnecting[1]["delay_s"] <= 1.0, reconnecting
        assert server.joins[:3] == ["alice"] * 3, server.joins
        assert of_type(records, "summary")[0]["reconnects"] == 2
        bob.close()


@test
def pings_are_answered_and_odd_lines_reported():
    greeting = [b'{"type":"ping"}\n', b"not json\n", b'{"type":"typing","who":"x"}\n',
                b'{"type":"message","data":{"from":"srv","text":"done"}}\n']
    with ChatServer(greeting=greeting) as server:
        proc = chat(server.target, "-n", "al", "--jsonl", "--wait-for", "from=srv", check=0)
        types = [r["type"] for r in jsonl(proc.stdout)]
        assert types[:6] == ["connected", "welcome", "ping", "invalid_line", "typing", "message"], types
        deadline = time.monotonic() + 5  # the server's thread may still be reading the pong
        while ("al", {"type": "pong"}) not in server.received and time.monotonic() < deadline:
            time.sleep(0.02)
        assert ("al", {"type": "pong"}) in server.received, server.received


@test
def json_format_prints_one_document():
    with ChatServer() as server:
        proc = chat(server.target, "-n", "al", "--send", "x", "--exit", "--json", check=0)
        doc = json.loads(proc.stdout)
        assert doc["command"] == "chat-client"
        assert [r["type"] for r in doc["records"]][-1] == "summary", doc


run_tests()
