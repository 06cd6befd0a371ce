"""chat-server: the protocol in both forms against python3 clients written from the man page, errors,
names, private messages, unix/abstract/dual-stack listeners, SIGTERM notice, exit codes."""
import os
import signal
import socket
import tempfile

from chat_util import ChatClient, chat_server, unique
from ntlib import assert_usage_error, jq_ok, jsonl, nettool, of_type, run_tests, test


@test
def flat_and_nested_clients_talk():
    with chat_server() as (server, host, port, _):
        alice = ChatClient(host, port)
        bob = ChatClient(host, port, nested=True)
        w = alice.join("Alice")
        assert isinstance(w["id"], int)
        bob.join("Bob")
        alice.expect("user_joined", name="Bob")
        alice.send("message", text="Hello")
        bob.expect("message", **{"from": "Alice", "text": "Hello"})
        bob.send("message", text="Hi ✓ — ünïcödé")
        alice.expect("message", **{"from": "Bob", "text": "Hi ✓ — ünïcödé"})
        bob.send("list")
        assert bob.expect("user_list")["users"] == ["Alice", "Bob"]
        bob.close()
        alice.expect("user_left", name="Bob")
        alice.close()
        code, out, _ = server.finish()
        assert code == 0
        recs = jsonl(out)
        assert {r["name"] for r in of_type(recs, "joined")} == {"Alice", "Bob"}
        assert {r["reason"] for r in of_type(recs, "left")} == {"quit"}
        summary = of_type(recs, "summary")[0]
        assert summary["messages_in"] == 2 and summary["deliveries_out"] == 2, summary
        assert summary["peak"] == 2 and summary["signal"] == "SIGTERM", summary


@test
def the_sender_does_not_get_its_own_message_and_private_goes_to_one():
    with chat_server() as (server, host, port, _):
        a, b, c = (ChatClient(host, port) for _ in range(3))
        for cl, n in ((a, "a"), (b, "b"), (c, "c")):
            cl.join(n)
        a.send("message", text="secret", to="b")
        b.expect("message", **{"from": "a", "to": "b", "text": "secret"})
        a.send("message", text="public")
        b.expect("message", text="public")
        msg = c.expect("message")
        assert msg["text"] == "public", f"c saw the private message: {msg}"
        a.send("message", text="x", to="nobody")
        a.expect("error", code=404)
        a.send("list")  # a's next line is the list: its own messages never came back
        a.expect("user_list")


@test
def errors_have_their_codes_and_the_connection_survives():
    with chat_server() as (server, host, port, _):
        a = ChatClient(host, port)
        a.send("message", text="too early")
        a.expect("error", code=401)
        a.send("list")
        a.expect("error", code=401)
        for bad in (b"not json\n", b"[1,2]\n", b'{"type":7}\n', b'{"type":"join","name":5}\n',
                    b'{"type":"join","data":"x"}\n', b'{"type":"dance"}\n', b'{"type":"welcome","id":1}\n',
                    b'{"type":"message","text":"\xff"}\n'):
            a.send_raw(bad)
            a.expect("error", code=400)
        a.send_raw(b"x" * 5000 + b"\n")
        a.expect("error", code=413)
        for name in ("", "x" * 33, "tab\there", "   "):
            a.send("join", name=name)
            a.expect("error", code=400)
        a.join("Ålice")
        a.send("join", name="again")
        a.expect("error", code=409)
        a.send("ping")
        a.expect("pong")
        a.send("hello", capabilities=["ping"])
        assert "private" in a.expect("hello")["capabilities"]
        a.send("message", text="still here")  # nobody else: no delivery, no error
        a.send("list")
        assert a.expect("user_list")["users"] == ["Ålice"]


@test
def names_are_unique_and_nick_changes_them():
    with chat_server() as (server, host, port, _):
        a, b = ChatClient(host, port), ChatClient(host, port, nested=True)
        a.join("Alice")
        b.send("join", name="Alice")
        b.expect("error", code=409)
        b.join("Bob")
        b.send("nick", name="Alice")
        b.expect("error", code=409)
        b.send("nick", name="Robert")
        n = b.expect("nick", name="Robert", old="Bob")
        a.expect("nick", name="Robert", old="Bob", id=n["id"])
        a.send("message", text="hi", to="Robert")
        b.expect("message", text="hi")
        a.close()
        c = ChatClient(host, port)
        c.join("Alice")  # a name is free again once its owner left


@test
def sigterm_tells_every_client_and_exits_0():
    with chat_server() as (server, host, port, _):
        clients = [ChatClient(host, port) for _ in range(5)]
        for i, cl in enumerate(clients):
            cl.join(f"u{i}")
        code, out, _ = server.finish(signal.SIGTERM)
        assert code == 0
        for cl in clients:
            cl.expect("error", code=503)
            assert cl.closed()
        recs = jsonl(out)
        assert {r["reason"] for r in of_type(recs, "left")} == {"shutdown"}
        assert of_type(recs, "summary")[0]["signal"] == "SIGTERM"


@test
def unix_and_abstract_listeners():
    path = os.path.join(tempfile.mkdtemp(), "chat.sock")
    with chat_server(listen=f"unix:{path}") as (server, _, _, rec):
        a = ChatClient(None, None, path=path)
        a.join("u")
    assert not os.path.exists(path), "socket file left behind"
    name = unique("nettool-chat")
    with chat_server(listen=f"@{name}") as (server, _, _, rec):
        a = ChatClient(None, None, path="\0" + name)
        b = ChatClient(None, None, path="\0" + name)
        a.join("a")
        b.join("b")
        a.send("message", text="over abstract")
        b.expect("message", text="over abstract")


@test
def dual_stack_by_default():
    if not socket.has_ipv6:
        from ntlib import skip
        skip("no IPv6")
    with chat_server(listen=":0") as (server, _, port, rec):
        assert rec["address"].startswith("[::]"), rec
        v4 = ChatClient("127.0.0.1", port)
        v6 = ChatClient("::1", port)
        v4.join("v4")
        v6.join("v6")
        v4.send("message", text="across families")
        v6.expect("message", text="across families")


@test
def json_document_is_one_valid_document():
    from ntlib import Process
    p = Process("chat-server", "--listen", "127.0.0.1:0", "--json")
    import time
    time.sleep(0.3)
    code, out, _ = p.finish()
    assert code == 0
    doc = jq_ok(out)
    assert '"listening"' in doc and '"summary"' in doc


@test
def usage_errors_exit_2_with_one_line():
    assert_usage_error(nettool("chat-server", "--listen", "127.0.0.1:70000"), "70000")
    assert_usage_error(nettool("chat-server", "--listen", ""), "--listen")
    assert_usage_error(nettool("chat-server", "--max-line", "10"), "--max-line")
    assert_usage_error(nettool("chat-server", "--rate", "-1"), "--rate")
    assert_usage_error(nettool("chat-server", "--cert", "x.pem"), "--tls")
    assert_usage_error(nettool("chat-server", "--bogus"), "--bogus")


@test
def a_busy_port_exits_3():
    with chat_server() as (server, host, port, _):
        proc = nettool("chat-server", "--listen", f"{host}:{port}")
        assert proc.returncode == 3, proc
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


if __name__ == "__main__":
    run_tests()
