"""udp-time's command line: usage errors (exit 2, one stderr line), exit codes, output formats."""
import concurrent.futures
import json
import socket
import struct
import time

from timelib import free_udp_port
from ntlib import assert_usage_error, jq_ok, jsonl, nettool, of_type, run_tests, skip, start_server, test


@test
def usage_errors_name_the_input():
    assert_usage_error(nettool("udp-time", "127.0.0.1", "--protocol", "chargen"), "chargen")
    assert_usage_error(nettool("udp-time", "server", "--protocol", "qotd"), "qotd")
    assert_usage_error(nettool("udp-time"), "udp-time")
    assert_usage_error(nettool("udp-time", "127.0.0.1:99999"), "99999")
    assert_usage_error(nettool("udp-time", "server", "--stratum", 16), "--stratum")
    assert_usage_error(nettool("udp-time", "server", "--refid", "TOOLONG"), "TOOLONG")
    assert_usage_error(nettool("udp-time", "server", "--refid", "A B"), "A B")
    assert_usage_error(nettool("udp-time", "server", "--limit-action", "ban"), "ban")
    assert_usage_error(nettool("udp-time", "server", "--daytime-format", "rfc822"), "rfc822")
    assert_usage_error(nettool("udp-time", "server", "--count", 3), "--count")
    assert_usage_error(nettool("udp-time", "server", "--listen", "127.0.0.1:abc"), "127.0.0.1:abc")
    assert_usage_error(nettool("udp-time", "127.0.0.1", "--count", 0), "--count")
    assert_usage_error(nettool("udp-time", "127.0.0.1", "--timeout", -1), "--timeout")


@test
def family_flags_after_the_subcommand():
    # "-4" looks like a negative number to CLI11: it must not become the host or a stray positional.
    srv, rec = start_server("udp-time", "server", "-4", "--listen", ":0")
    with srv:
        assert rec["address"].startswith("0.0.0.0:"), rec
        port = rec["address"].rsplit(":", 1)[1]
        nettool("udp-time", "-4", f"127.0.0.1:{port}", check=0)
        nettool("udp-time", f"localhost:{port}", "-4", check=0)
    srv, rec = start_server("udp-time", "server", "--listen", ":0", "-6")
    with srv:
        assert rec["address"].startswith("[::]:"), rec
    assert_usage_error(nettool("udp-time", "-4", "-6", "127.0.0.1"), "-4")


@test
def privileged_port_without_capability_exits_4():
    with open("/proc/sys/net/ipv4/ip_unprivileged_port_start") as f:
        if int(f.read()) <= 123:
            skip("port 123 is not privileged here (net.ipv4.ip_unprivileged_port_start)")
    proc = nettool("udp-time", "server", "--listen", "127.0.0.1:123", user=65534, timeout=10)
    if proc.returncode == 3 and "Address already in use" in proc.stderr:
        skip("something on this host serves NTP already: the privilege path cannot be reached")
    assert proc.returncode == 4, (proc.returncode, proc.stderr)
    assert "CAP_NET_BIND_SERVICE" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


@test
def no_server_means_exit_1_with_result_in_every_format():
    port = free_udp_port()
    for fmt_args in (["--json"], ["--jsonl"], []):
        proc = nettool("udp-time", f"127.0.0.1:{port}", "--timeout", 0.1, "--retries", 0, *fmt_args, check=1)
        if fmt_args == ["--json"]:
            doc = json.loads(jq_ok(proc.stdout))
            result = [r for r in doc["records"] if r["type"] == "result"][0]
            assert result["ok"] is False and result["offset_ms"] is None and result["failure"] == "refused"
        elif fmt_args == ["--jsonl"]:
            jq_ok(proc.stdout)
            assert of_type(jsonl(proc.stdout), "result")[0]["sent"] == 1
        else:
            assert "no valid reply" in proc.stdout


@test
def max_offset_exceeded_exits_1():
    # A fake RFC 868 server 100 s ahead: --max-offset 2 is always exceeded.
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(5)
    port = sock.getsockname()[1]
    answer = lambda: sock.sendto(*(lambda d, peer: (struct.pack("!I", int(time.time()) + 2208988800 + 100), peer))(
        *sock.recvfrom(64)))
    with sock, concurrent.futures.ThreadPoolExecutor(1) as pool:
        pending = pool.submit(answer)
        proc = nettool("udp-time", f"127.0.0.1:{port}", "--protocol", "time", "--max-offset", 2, "--jsonl",
                       "--retries", 0, check=1)
        pending.result()
    r = of_type(jsonl(proc.stdout), "result")[0]
    assert r["offset_exceeded"] is True and r["max_offset_ms"] == 2000 and r["ok"] is False, r
    srv, rec = start_server("udp-time", "server", "--listen", "127.0.0.1:0", "--protocol", "time")
    with srv:
        nettool("udp-time", rec["address"], "--protocol", "time", "--max-offset", 2, check=0)


@test
def max_offset_below_one_second_resolution_is_refused():
    for proto in ("daytime", "time"):
        assert_usage_error(nettool("udp-time", "127.0.0.1", "--protocol", proto, "--max-offset", 0.01),
                           "--max-offset", "1 second", proto)
    assert_usage_error(nettool("udp-time", "127.0.0.1", "--protocol", "time", "--max-offset", 0), "1 second")


@test
def server_text_output_and_quiet():
    srv, rec = start_server("udp-time", "server", "--listen", "127.0.0.1:0")
    srv.stop()
    assert rec["protocol"] == "sntp" and rec["stratum"] == 10 and rec["refid"] == "127.127.1.1"
    assert rec["rate_limit_per_s"] == 10 and rec["limit_action"] == "kod"
    from ntlib import Process
    with Process("udp-time", "server", "--listen", "127.0.0.1:0") as p:
        line = p.proc.stdout.readline().decode()
        assert line.startswith("udp-time server: sntp on 127.0.0.1:"), line
        code, rest, _ = p.finish()
    assert code == 0 and "summary:" in rest, rest


run_tests()
