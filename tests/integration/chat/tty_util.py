"""The tmux pane the chat-client terminal tests type into and read from (its own tmux server, -L)."""
import os
import shlex
import subprocess
import time

from ntlib import NETTOOL, require_peer


class Pane:
    def __init__(self, command, env=""):
        require_peer("tmux")
        self.socket = f"ntchat{os.getpid()}{time.monotonic_ns() % 100000}"
        self.tmux("new-session", "-d", "-s", "chat", "-x", "100", "-y", "30",
                  f"{env} {command}; echo EXIT=$?; sleep 60")

    def tmux(self, *args):
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=10)

    def type(self, text, enter=False):
        self.tmux("send-keys", "-t", "chat", "-l", text)
        if enter:
            self.tmux("send-keys", "-t", "chat", "Enter")

    def key(self, name):
        self.tmux("send-keys", "-t", "chat", name)

    def screen(self, escapes=False):
        return self.tmux("capture-pane", "-p", *(["-e"] if escapes else []), "-t", "chat").stdout

    def lines(self):
        return [ln.rstrip() for ln in self.screen().splitlines() if ln.strip()]

    def wait_for(self, predicate, what, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self.lines()):
                return
            time.sleep(0.05)
        raise AssertionError(f"screen never showed {what}:\n{self.screen()}")

    def close(self):
        self.tmux("kill-server")


def received(server, predicate, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with server.lock:
            hits = [o for n, o in server.received if predicate(n, o)]
        if hits:
            return hits
        time.sleep(0.05)
    raise AssertionError(f"the server never received it: {server.received}")


def client_command_for(target, name, *extra):
    return " ".join(shlex.quote(a) for a in [NETTOOL, "chat-client", target, "--name", name, *extra])


def client_command(server, *extra):
    return client_command_for(server.target, "alice", *extra)
