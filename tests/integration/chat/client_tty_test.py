"""chat-client's terminal UI, for real: the client runs in a tmux pane (its own tmux server, -L), keys are
typed with send-keys and the screen is read with capture-pane, against a chat server written in this
test. Incoming lines must appear above the input line without garbling what is being typed."""
from client_util import ChatServer, RawClient
from ntlib import run_tests, test
from tty_util import Pane, client_command, received


@test
def typing_survives_incoming_messages_and_commands_work():
    with ChatServer() as server:
        pane = Pane(client_command(server), env="NO_COLOR=1")
        try:
            server.wait_joined(1)
            pane.wait_for(lambda ls: ls and ls[-1] == "alice>", "the prompt")
            bob = RawClient(server.target, "bob")
            pane.type("hello all", enter=True)
            received(server, lambda n, o: n == "alice" and o.get("text") == "hello all")
            pane.type("half typed")
            pane.wait_for(lambda ls: ls[-1] == "alice> half typed", "the typed text")
            bob.send({"type": "message", "text": "hi alice"})
            # The message lands above the input line, and the half-typed line is intact below it.
            pane.wait_for(lambda ls: "<bob> hi alice" in ls and ls[-1] == "alice> half typed", "bob above the input")
            pane.type(" and more", enter=True)
            received(server, lambda n, o: n == "alice" and o.get("text") == "half typed and more")
            pane.type("/list", enter=True)
            pane.wait_for(lambda ls: "* 2 online: alice, bob" in ls, "the user list")
            pane.type("/msg bob psst", enter=True)
            received(server, lambda n, o: o.get("to") == "bob" and o.get("text") == "psst")
            pane.type("/frob", enter=True)
            pane.wait_for(lambda ls: any(ln.startswith("unknown command '/frob'") for ln in ls), "the mistake")
            pane.key("Up")  # history: the last line typed comes back for editing
            pane.wait_for(lambda ls: ls[-1] == "alice> /frob", "history recall")
            pane.key("C-u")
            pane.type("/quit", enter=True)
            pane.wait_for(lambda ls: "EXIT=0" in ls, "exit status 0")
            bob.close()
        finally:
            pane.close()


@test
def colour_per_sender_only_when_allowed():
    with ChatServer() as server:
        pane = Pane(client_command(server), env="NO_COLOR=")
        try:
            server.wait_joined(1)
            bob = RawClient(server.target, "bob")
            bob.send({"type": "message", "text": "colourful"})
            pane.wait_for(lambda ls: "<bob> colourful" in ls, "bob's message")
            line = next(ln for ln in pane.screen(escapes=True).splitlines() if "colourful" in ln)
            assert "\x1b[3" in line.split("bob")[0], repr(line)  # a foreground colour just before the name
            pane.key("C-d")  # Ctrl-D on an empty line leaves like /quit
            pane.wait_for(lambda ls: "EXIT=0" in ls, "exit status 0")
            bob.close()
        finally:
            pane.close()
    with ChatServer() as server:
        pane = Pane(client_command(server), env="NO_COLOR=1")
        try:
            server.wait_joined(1)
            bob = RawClient(server.target, "bob")
            bob.send({"type": "message", "text": "plain"})
            pane.wait_for(lambda ls: "<bob> plain" in ls, "bob's message")
            line = next(ln for ln in pane.screen(escapes=True).splitlines() if "plain" in ln)
            assert "\x1b" not in line, repr(line)
            bob.close()
        finally:
            pane.close()


@test
def server_going_away_ends_with_1_and_restores_the_terminal():
    with ChatServer(close_after_welcome=1) as server:
        pane = Pane(client_command(server) + "; rc=$?; stty -a | tr ' ' '\\n' | grep -x -e echo -e icanon; (exit $rc)",
                    env="NO_COLOR=1")
        try:
            pane.wait_for(lambda ls: "EXIT=1" in ls or "EXIT=0" in ls, "the exit status")
            lines = pane.lines()
            assert "EXIT=1" in lines, lines
            assert any("closed by the server" in ln for ln in lines), lines
            # The terminal is back in its usual modes (the client's stty check ran after it).
            assert "echo" in lines and "icanon" in lines, lines
        finally:
            pane.close()


@test
def ctrl_c_leaves_with_0_and_restores_the_terminal():
    with ChatServer() as server:
        pane = Pane(client_command(server) + "; rc=$?; stty -a | tr ' ' '\\n' | grep -x -e echo -e icanon; (exit $rc)",
                    env="NO_COLOR=1")
        try:
            server.wait_joined(1)
            pane.wait_for(lambda ls: ls and ls[-1] == "alice>", "the prompt")
            pane.type("half a thought")
            pane.key("C-c")  # SIGINT, read through the signalfd: the loop ends, libedit restores the modes
            pane.wait_for(lambda ls: "EXIT=0" in ls, "exit status 0")
            assert "echo" in pane.lines() and "icanon" in pane.lines(), pane.lines()
        finally:
            pane.close()


run_tests()
