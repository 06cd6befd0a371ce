"""tcp-echo: bad input exits 2 with one stderr line; connect failures exit 3; broken echo servers (a wrong
byte, an early close) make the client exit 1 naming the offset."""
import resource
import socket
import threading
import time

from echo_util import FakeServer, free_port, random_bytes
from ntlib import assert_usage_error, jsonl, nettool, of_type, test, run_tests


@test
def bad_addresses_and_options_exit_2_with_one_line():
    cases = [
        (("server", "--listen", "127.0.0.1:70000"), "70000"),
        (("server", "--listen", "[::1"), "[::1"),
        (("server", "--threads", "0"), "--threads"),
        (("server", "--max-clients", "0"), "--max-clients"),
        (("server", "--idle-timeout", "-1"), "--idle-timeout"),
        (("server", "--bogus"), "--bogus"),
        (("client", "1.2.3:7"), "1.2.3"),
        (("client", "127.0.0.1:99999", "-c", "1"), "99999"),
        (("client", "127.0.0.1:7", "--count", "0"), "--count"),
        (("client", "127.0.0.1:7", "--size", "4X"), "4X"),
        (("client", "127.0.0.1:7", "--bench", "--pipeline", "0"), "--pipeline"),
        (("client", "127.0.0.1:7", "--bench", "--bulk", "1M"), "mode"),
        # load-mode options outside load mode are refused, not silently ignored
        (("client", "127.0.0.1:7", "--connections", "4"), "--connections needs --bench"),
        (("client", "127.0.0.1:7", "-c", "1", "-d", "2"), "--duration needs --bench"),
        (("client", "127.0.0.1:7", "--bulk", "1M", "--pipeline", "4"), "--pipeline needs --bench"),
        (("client", "127.0.0.1:7", "--stdin", "--size", "4K"), "--size"),
        (("client",), "target"),
    ]
    for args, needle in cases:
        proc = nettool("tcp-echo", *args)
        try:
            assert_usage_error(proc, needle)
        except AssertionError as e:
            raise AssertionError(f"tcp-echo {' '.join(args)}: {e}") from None


@test
def connection_refused_exits_3_with_one_line():
    port = free_port()
    for mode in (("-c", "1"), ("--stdin",), ("--bench", "-d", "1"), ("--bulk", "1K")):
        proc = nettool("tcp-echo", "client", f"127.0.0.1:{port}", *mode, input="x")
        assert proc.returncode == 3, (mode, proc.returncode, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and "refused" in lines[0], lines


def corrupting_server(offset):
    def handler(conn):
        seen = 0
        while True:
            data = bytearray(conn.recv(65536))
            if not data:
                return
            if seen <= offset < seen + len(data):
                data[offset - seen] ^= 0x40
            seen += len(data)
            conn.sendall(data)
    return handler


def early_close_server(limit):
    def handler(conn):
        got = b""
        while len(got) < limit:
            data = conn.recv(65536)
            if not data:
                break
            got += data
        conn.sendall(got[:limit])
    return handler


@test
def pipe_mode_names_the_offset_of_a_wrong_byte():
    with FakeServer(corrupting_server(100000)) as fake:
        proc = nettool("tcp-echo", "client", f"127.0.0.1:{fake.port}", "--stdin", input=random_bytes(300000))
        assert proc.returncode == 1, proc.returncode
        err = proc.stderr.decode()
        assert len(err.strip().splitlines()) == 1 and "offset 100000" in err, err


@test
def pipe_mode_names_the_offset_of_an_early_close():
    with FakeServer(early_close_server(5000)) as fake:
        proc = nettool("tcp-echo", "client", f"127.0.0.1:{fake.port}", "--stdin", input=random_bytes(20000))
        assert proc.returncode == 1, proc.returncode
        err = proc.stderr.decode()
        assert "offset 5000" in err and "closed" in err, err


@test
def pipe_mode_waits_only_timeout_for_a_server_that_never_closes():
    # The echo is complete and verified; the server just keeps the connection open after our FIN.
    # Event-based: the server holds the connection until the client has exited, so the client can only
    # finish by its own --timeout; the subprocess timeout is a hang guard, not a measurement.
    client_done = threading.Event()

    def holds_open(conn):
        while data := conn.recv(65536):
            conn.sendall(data)
        client_done.wait(60)
    with FakeServer(holds_open) as fake:
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        proc = nettool("tcp-echo", "client", f"127.0.0.1:{fake.port}", "--stdin", "--timeout", 1, "--jsonl",
                       input="hello\n", timeout=30)
        client_done.set()
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        assert proc.returncode == 0, (proc.returncode, proc.stderr)
        assert of_type(jsonl(proc.stdout), "summary")[0]["bytes_verified"] == 6
        cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
        assert cpu < 0.5, f"the client spun while waiting: {cpu:.2f} s of CPU"


@test
def probe_mode_counts_mismatches_and_exits_1():
    with FakeServer(corrupting_server(70)) as fake:
        proc = nettool("tcp-echo", "client", f"127.0.0.1:{fake.port}", "-c", 3, "-s", 64, "-i", 0, "--jsonl")
        assert proc.returncode == 1, (proc.returncode, proc.stderr)
        recs = jsonl(proc.stdout)
        assert [r["match"] for r in of_type(recs, "reply")] == [True, False, True]
        assert of_type(recs, "summary")[0]["mismatches"] == 1
        assert of_type(recs, "error"), "json modes end with an error record"


@test
def load_mode_detects_a_wrong_byte():
    with FakeServer(corrupting_server(5000)) as fake:
        proc = nettool("tcp-echo", "client", f"127.0.0.1:{fake.port}", "--bench", "-C", 2, "-d", 1, "--jsonl")
        assert proc.returncode == 1, (proc.returncode, proc.stderr)
        summary = of_type(jsonl(proc.stdout), "summary")[0]
        assert summary["mismatches"] == 2, summary  # both connections hit offset 5000
        assert "offset 5000" in proc.stderr, proc.stderr


@test
def probe_timeout_exits_1():
    client_done = threading.Event()

    def silent(conn):
        client_done.wait(60)  # never answers while the client runs: only its --timeout can end it
    with FakeServer(silent) as fake:
        proc = nettool("tcp-echo", "client", f"127.0.0.1:{fake.port}", "-c", 1, "--timeout", 0.5, timeout=30)
        client_done.set()
        assert proc.returncode == 1, (proc.returncode, proc.stderr)
        assert "timed out" in proc.stderr, proc.stderr


@test
def reset_mid_run_exits_1_with_one_line():
    def resetter(conn):
        conn.recv(10)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    with FakeServer(resetter) as fake:
        proc = nettool("tcp-echo", "client", f"127.0.0.1:{fake.port}", "-c", 3, "-i", 0)
        assert proc.returncode == 1, (proc.returncode, proc.stderr)
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


if __name__ == "__main__":
    run_tests()
