"""tcp-echo: byte-exact echo through the nettool server with the nettool client, python sockets, socat and
nc; the nettool client against independent echo servers (socat, ncat); probe/load/bulk records."""
import socket
import subprocess
import time

from echo_util import echo_server, echo_with_socket, free_port, peer_process, random_bytes
from ntlib import NETTOOL, jq_ok, jsonl, nettool, of_type, test, run_tests, wait_port

BINARY = bytes(range(256)) * 64 + b"\x00\r\n\xff" * 1000


@test
def nettool_client_pipe_is_byte_exact():
    with echo_server() as (_, host, port):
        for data in (b"hello\n", BINARY, b""):
            proc = nettool("tcp-echo", "client", f"{host}:{port}", "--stdin", input=data, check=0)
            assert proc.stdout == data, f"echo differs for {len(data)} bytes"


@test
def stream_of_64_mib_through_nettool_client():
    data = random_bytes(64 << 20, seed=64)
    with echo_server() as (server, host, port):
        proc = nettool("tcp-echo", "client", f"{host}:{port}", input=data, timeout=120, check=0)
        assert proc.stdout == data, "64 MiB echo differs"
        proc = nettool("tcp-echo", "client", f"{host}:{port}", "--jsonl", input=data, timeout=120, check=0)
        summary = of_type(jsonl(proc.stdout.decode()), "summary")[0]
        assert summary["bytes_verified"] == len(data) == summary["bytes_sent"], summary
        code, out, _ = server.finish()
        assert code == 0
        total = of_type(jsonl(out), "summary")[0]
        assert total["bytes_in"] == total["bytes_out"] == 2 * len(data), total


@test
def python_socket_client_is_byte_exact():
    data = random_bytes(8 << 20, seed=8) + BINARY
    with echo_server() as (_, host, port):
        with socket.create_connection((host, port), timeout=30) as s:
            assert echo_with_socket(s, data) == data


@test
def socat_and_nc_clients_are_byte_exact():
    data = random_bytes(4 << 20, seed=4) + BINARY
    with echo_server() as (_, host, port):
        socat = subprocess.run(["socat", "-t", "10", "-", f"TCP:{host}:{port}"], input=data,
                               capture_output=True, timeout=60)
        assert socat.returncode == 0, socat.stderr
        assert socat.stdout == data, "socat saw a different echo"
        nc = subprocess.run(["nc", "-N", host, str(port)], input=data, capture_output=True, timeout=60)
        assert nc.stdout == data, f"nc saw a different echo ({len(nc.stdout)} bytes)"


@test
def nettool_client_against_socat_and_ncat_servers():
    # ncat's --exec relay stalls on full-duplex streams larger than its buffers (after ~56 KiB), so it only
    # gets a small pipe transfer and round trips.
    big = random_bytes(1 << 20, seed=2) + BINARY
    for cmd, data in ((["socat", "TCP-LISTEN:{p},bind=127.0.0.1,fork,reuseaddr", "PIPE"], big),
                      (["ncat", "-l", "-k", "127.0.0.1", "{p}", "--exec", "/bin/cat"], BINARY[:16384])):
        port = free_port()
        with peer_process([c.format(p=port) for c in cmd]):
            wait_port("127.0.0.1", port)
            proc = nettool("tcp-echo", "client", f"127.0.0.1:{port}", "--stdin", input=data, timeout=60)
            assert proc.returncode == 0 and proc.stdout == data, f"{cmd[0]}: echo differs: {proc.stderr}"
            probe = nettool("tcp-echo", "client", f"127.0.0.1:{port}", "-c", 3, "-s", 1000, "-i", 0, "--jsonl",
                            check=0)
            assert len(of_type(jsonl(probe.stdout), "reply")) == 3


@test
def probe_mode_records_parse_with_jq():
    with echo_server() as (_, host, port):
        proc = nettool("tcp-echo", "client", f"{host}:{port}", "--count", 4, "--size", "1K", "--interval", 0.05,
                       "--jsonl", check=0)
        for line in proc.stdout.splitlines():
            jq_ok(line)
        recs = jsonl(proc.stdout)
        replies = of_type(recs, "reply")
        assert [r["seq"] for r in replies] == [1, 2, 3, 4]
        assert all(r["bytes"] == 1024 and r["match"] and r["rtt_ms"] > 0 for r in replies), replies
        s = of_type(recs, "summary")[0]
        assert (s["sent"], s["received"], s["mismatches"]) == (4, 4, 0), s
        assert s["rtt_ms_min"] <= s["rtt_ms_p50"] <= s["rtt_ms_max"]
        assert s["schema_version"] == 1
        doc = nettool("tcp-echo", "client", f"{host}:{port}", "-c", 2, "-i", 0, "--json", check=0)
        assert jq_ok(doc.stdout, '.records | map(select(.type == "reply")) | length').strip() == "2"


@test
def probe_larger_than_the_socket_buffers_does_not_deadlock():
    # 16 MiB is more than both ends' buffers hold: the client must read the echo while it sends.
    with echo_server() as (_, host, port):
        proc = nettool("tcp-echo", "client", f"{host}:{port}", "-c", 2, "-i", 0, "-s", "16M", "--timeout", 3,
                       "--jsonl", timeout=60)
        assert proc.returncode == 0, (proc.returncode, proc.stderr)
        s = of_type(jsonl(proc.stdout), "summary")[0]
        assert (s["sent"], s["received"], s["mismatches"]) == (2, 2, 0), s


@test
def probe_mode_text_output():
    with echo_server() as (_, host, port):
        proc = nettool("tcp-echo", "client", f"{host}:{port}", "-c", 2, "-i", 0, check=0)
        assert "64 bytes from 127.0.0.1" in proc.stdout and "seq=2" in proc.stdout, proc.stdout
        assert "2 sent, 2 received, 0 mismatches" in proc.stdout, proc.stdout


@test
def load_mode_reports_intervals_and_summary():
    with echo_server() as (_, host, port):
        proc = nettool("tcp-echo", "client", f"{host}:{port}", "--bench", "--connections", 20, "--duration", 2.2,
                       "--size", 100, "--pipeline", 4, "--jsonl", timeout=60, check=0)
        for line in proc.stdout.splitlines():
            jq_ok(line)
        recs = jsonl(proc.stdout)
        intervals = of_type(recs, "interval")
        assert len(intervals) == 2, intervals
        assert all(i["round_trips"] > 0 and i["mb_per_s"] > 0 for i in intervals), intervals
        s = of_type(recs, "summary")[0]
        assert s["mode"] == "load" and s["connections"] == 20 and s["pipeline"] == 4, s
        assert 2.2 <= s["duration_s"] < 3.5, s  # the run's own clock: --duration is honoured
        assert s["errors"] == 0 and s["mismatches"] == 0, s
        assert s["round_trips"] > 100 and s["bytes"] == 100 * s["round_trips"], s
        assert 0 < s["rtt_ms_p50"] <= s["rtt_ms_p99"] <= s["rtt_ms_max"], s


@test
def bulk_mode_streams_and_verifies():
    with echo_server() as (_, host, port):
        proc = nettool("tcp-echo", "client", f"{host}:{port}", "--bulk", "48M", "--jsonl", timeout=60, check=0)
        s = of_type(jsonl(proc.stdout), "summary")[0]
        assert s["mode"] == "bulk" and s["bytes"] == 48 << 20 and s["mb_per_s"] > 0, s
        text = nettool("tcp-echo", "client", f"{host}:{port}", "--bulk", "1M", check=0)
        assert "MB/s" in text.stdout, text.stdout


if __name__ == "__main__":
    assert NETTOOL
    run_tests()
