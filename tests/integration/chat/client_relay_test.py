"""Two chat-clients talk through `ncat --broker`, a raw line relay that knows nothing of the protocol: no
welcome, no user_list, each client's own lines relayed to the others as they are."""
import subprocess
import time

from ntlib import NETTOOL, jsonl, of_type, require_peer, run_tests, test, wait_port
from client_util import free_port


@test
def two_clients_through_ncat_broker():
    require_peer("ncat")
    port = free_port()
    broker = subprocess.Popen(["ncat", "--broker", "--listen", "127.0.0.1", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    alice = None
    try:
        wait_port("127.0.0.1", port)
        bob = subprocess.Popen([NETTOOL, "chat-client", f"127.0.0.1:{port}", "-n", "bob", "--jsonl", "--timeout", "10",
                                "--wait-for", "type=message,text=hi bob"],
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(0.5)  # bob joined the relay before alice speaks (a broker keeps no history)
        alice = subprocess.Popen([NETTOOL, "chat-client", f"127.0.0.1:{port}", "-n", "alice", "--stay", "--jsonl"],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        alice.stdin.write("hi bob\n")
        alice.stdin.flush()
        out, err = bob.communicate(timeout=15)
        assert bob.returncode == 0, (bob.returncode, err)
        records = jsonl(out)
        # What alice sent, as the relay passed it on: her join and her message (no `from`: no server).
        assert of_type(records, "join")[0]["name"] == "alice", records
        assert of_type(records, "message")[0] == {**of_type(records, "message")[0], "text": "hi bob"}
        assert "from" not in of_type(records, "message")[0]
    finally:
        if alice:
            alice.terminate()
            alice.communicate(timeout=10)
        broker.terminate()
        broker.wait(timeout=10)


run_tests()
