"""chat-client against nettool's own chat-server: two clients talk through it, a private message and a
/nick from the terminal UI (tmux), and --reconnect across a server restart on the same port."""
import subprocess
import time

from tty_util import Pane, client_command_for
from client_util import free_port
from ntlib import NETTOOL, jsonl, nettool, of_type, run_tests, start_server, test


def chat_server(address="127.0.0.1:0"):
    server, rec = start_server("chat-server", "--listen", address)
    return server, rec["address"]


def background_client(address, name, *args):
    return subprocess.Popen([NETTOOL, "chat-client", address, "-n", name, "--jsonl", *args],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_until_joined(address, name, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        proc = nettool("chat-client", address, "-n", f"probe{time.monotonic_ns() % 10**6}", "--exit", "--jsonl")
        if proc.returncode == 0 and any(name in r.get("users", []) for r in of_type(jsonl(proc.stdout), "user_list")):
            return
        time.sleep(0.1)
    raise AssertionError(f"{name} never joined")


@test
def two_clients_talk_through_chat_server():
    server, address = chat_server()
    with server:
        bob = background_client(address, "bob", "--wait-for", "type=message,from=alice,text=hi bob")
        wait_until_joined(address, "bob")
        proc = nettool("chat-client", address, "-n", "alice", "--send", "hi bob", "--exit", "--jsonl", check=0)
        assert of_type(jsonl(proc.stdout), "welcome")[0]["name"] == "alice"
        out, err = bob.communicate(timeout=15)
        assert bob.returncode == 0, err
        assert jsonl(out)[-2]["text"] == "hi bob"  # the match is the last event before the summary


@test
def private_message_and_nick_from_the_terminal():
    server, address = chat_server()
    with server:
        bob = background_client(address, "bob", "--wait-for", "type=message,to=bob,text=psst")
        wait_until_joined(address, "bob")
        pane = Pane(client_command_for(address, "alice"), env="NO_COLOR=1")
        try:
            pane.wait_for(lambda ls: ls and ls[-1] == "alice>", "the prompt")
            pane.type("/nick carol", enter=True)
            pane.wait_for(lambda ls: ls and ls[-1] == "carol>", "the prompt under the new name")
            pane.type("/msg bob psst", enter=True)
            out, err = bob.communicate(timeout=15)
            assert bob.returncode == 0, (out, err)
            assert of_type(jsonl(out), "message")[-1]["from"] == "carol", out
            pane.type("/quit", enter=True)
            pane.wait_for(lambda ls: "EXIT=0" in ls, "exit status 0")
        finally:
            pane.close()


@test
def reconnects_across_a_server_restart():
    address = f"127.0.0.1:{free_port()}"
    server, _ = chat_server(address)
    with server:
        alice = background_client(address, "alice", "--reconnect", "--timeout", "20",
                                  "--wait-for", "type=message,from=bob,text=after the restart")
        wait_until_joined(address, "alice")
        server.finish()  # SIGTERM: the server tells every client (503) and closes
    time.sleep(0.3)
    server, _ = chat_server(address)
    with server:
        wait_until_joined(address, "alice", timeout=15)  # rejoined under the same name
        nettool("chat-client", address, "-n", "bob", "--send", "after the restart", "--exit", check=0)
        out, err = alice.communicate(timeout=15)
        assert alice.returncode == 0, err
        records = jsonl(out)
        assert of_type(records, "disconnected") and of_type(records, "reconnecting"), records
        assert [r["name"] for r in of_type(records, "connected")][:2] == ["alice", "alice"], records


run_tests()
