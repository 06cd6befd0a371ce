"""The output contract under load and the privilege rules, against the built binary on loopback:
jsonl flushes a record to a pipe reader without waiting for the next one and stops quietly under
`| head -1`; a json-mode server keeps bounded output however many clients come; every subcommand runs
with no capability and no_new_privs once its sockets are open; a setuid copy is refused with exit 4."""
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time

from ntlib import NETTOOL, Process, nettool, of_type, start_server, test, run_tests

HANG_GUARD_S = 10  # not a timing assertion: only keeps a broken build from hanging the suite


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def task_status(pid):
    """CapEff, CapPrm and NoNewPrivs of every thread of pid."""
    result = []
    for tid in os.listdir(f"/proc/{pid}/task"):
        fields = {}
        with open(f"/proc/{pid}/task/{tid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
        result.append((fields["CapEff"], fields["CapPrm"], fields["NoNewPrivs"]))
    return result


def wait_unprivileged(pid, threads=1):
    """Waits (event-polling, hang-guarded) until `threads` threads run, none with a capability, all with
    no_new_privs."""
    deadline = time.monotonic() + HANG_GUARD_S
    while time.monotonic() < deadline:
        status = task_status(pid)
        if len(status) >= threads and all(s == ("0000000000000000", "0000000000000000", "1") for s in status):
            return status
        time.sleep(0.02)
    raise AssertionError(f"pid {pid} still privileged: {task_status(pid)}")


@test
def jsonl_record_reaches_a_pipe_reader_without_a_further_record():
    server, rec = start_server("tcp-echo", "server", "--listen", "127.0.0.1:0")
    with server:
        host, port = rec["address"].rsplit(":", 1)
        start = time.monotonic()
        with socket.create_connection((host, int(port))):
            pass  # accepted and closed come back to back: the second is left to the flusher
        assert server.wait_for("accepted", HANG_GUARD_S)["type"] == "accepted"
        assert server.wait_for("closed", HANG_GUARD_S)["reason"] == "eof"
        print(f"     accepted+closed read after {1000 * (time.monotonic() - start):.1f} ms")


@test
def jsonl_flood_into_head_stops_quietly():
    if os.geteuid() != 0:
        print("     skipped: ping -f needs CAP_NET_RAW")
        return
    proc = subprocess.Popen([NETTOOL, "ping", "-f", "-c", "200000", "--jsonl", "127.0.0.1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()  # what `| head -1` does after its line
    code = proc.wait(timeout=HANG_GUARD_S)
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert json.loads(first)["type"] == "start", first
    assert code == 0 and err == "", (code, err)


@test
def json_tcp_echo_server_keeps_bounded_output():
    port = free_port()
    with Process("tcp-echo", "server", "--listen", f"127.0.0.1:{port}", "--json") as server:
        deadline = time.monotonic() + HANG_GUARD_S
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port)).close()
                break
            except ConnectionRefusedError:
                time.sleep(0.02)
        for _ in range(2999):
            with socket.create_connection(("127.0.0.1", port)) as s:
                s.sendall(b"x")
                s.recv(1)
        time.sleep(0.5)  # the last closes reach the server
        code, out, err = server.finish()
    assert code == 0, err
    doc = json.loads(out)
    summary = of_type(doc["records"], "summary")[0]
    events = [r for r in doc["records"] if r["type"] in ("accepted", "closed", "refused")]
    assert summary["connections"] == 3000, summary
    assert len(events) == 1000, len(events)
    assert len(events) + doc["dropped_records"] == 6000, doc["dropped_records"]


@test
def json_udp_time_server_keeps_bounded_output():
    port = free_port(socket.SOCK_DGRAM)
    with Process("udp-time", "server", "--listen", f"127.0.0.1:{port}", "-v", "--json") as server:
        wait_unprivileged(server.pid)  # bound and running
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            for i in range(3000):
                s.sendto(b"not sntp", ("127.0.0.1", port))
                if i % 100 == 99:
                    time.sleep(0.01)  # within the receive buffer: the count must pass 1000
        time.sleep(0.5)
        code, out, err = server.finish()
    assert code == 0, err
    doc = json.loads(out)
    requests = of_type(doc["records"], "request")
    total = of_type(doc["records"], "summary")[-1]["requests"]
    assert len(requests) == 1000 and len(requests) + doc["dropped_records"] == total, (len(requests), total)


@test
def servers_and_clients_run_without_capabilities():
    with start_server("tcp-echo", "server", "--listen", "127.0.0.1:0")[0] as server:
        status = wait_unprivileged(server.pid)
        assert len(status) >= 1
    with start_server("tcp-echo", "server", "--listen", "127.0.0.1:0", "--threads", "2")[0] as server:
        wait_unprivileged(server.pid, threads=2)  # every loop thread, not only the first
    port = free_port(socket.SOCK_DGRAM)
    with Process("udp-time", "server", "--listen", f"127.0.0.1:{port}") as server:
        wait_unprivileged(server.pid)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:  # never answers
        silent.bind(("127.0.0.1", 0))
        with Process("udp-time", f"127.0.0.1:{silent.getsockname()[1]}", "--timeout", "5") as client:
            wait_unprivileged(client.pid)
    echo, rec = start_server("tcp-echo", "server", "--listen", "127.0.0.1:0")
    with echo, Process("tcp-echo", "client", rec["address"], "--stdin", stdin=subprocess.PIPE) as client:
        wait_unprivileged(client.pid)
        client.proc.stdin.close()
    with Process("ping", "-c", "3", "-i", "0.5", "127.0.0.1", "--jsonl") as ping:
        wait_unprivileged(ping.pid)


@test
def setuid_copy_is_refused_with_exit_4():
    if os.geteuid() != 0:
        print("     skipped: making a setuid-root copy needs root")
        return
    tmp = tempfile.mkdtemp(prefix="nettool-setuid-")
    try:
        os.chmod(tmp, 0o755)
        copy = os.path.join(tmp, "nettool")
        shutil.copy2(NETTOOL, copy)
        os.chown(copy, 0, 0)
        os.chmod(copy, 0o4755)
        proc = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", copy, "ping",
                               "-c", "1", "127.0.0.1"], capture_output=True, text=True, timeout=HANG_GUARD_S)
        assert proc.returncode == 4, (proc.returncode, proc.stderr)
        assert "setcap cap_net_raw+ep" in proc.stderr and proc.stdout == "", proc.stderr
        assert nettool("ping", "-c", "1", "127.0.0.1").returncode == 0  # the original still runs
    finally:
        shutil.rmtree(tmp)


run_tests()
