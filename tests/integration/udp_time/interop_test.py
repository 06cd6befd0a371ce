"""udp-time interop, both directions, on loopback (and a namespace of our own for port 123):
nettool's client against chronyd; sntp (ntpdig) and ntpdate against nettool's server; python3
socket clients for daytime and time; nettool against itself for all three protocols."""
import calendar
import json
import re
import socket
import struct
import time

from timelib import chronyd, exchange, free_udp_port, ntp_to_unix, parse_sntp, sntp_request
from ntlib import Netns, nettool, of_type, jsonl, run_tests, start_server, split_hostport, test, jq_ok


@test
def client_against_chronyd():
    port = free_udp_port()
    with chronyd(port, stratum=8):
        proc = nettool("udp-time", f"127.0.0.1:{port}", "--count", 3, "--interval", 0.1, "--max-offset", 0.05,
                       "--jsonl", check=0)
    recs = jsonl(proc.stdout)
    samples, results = of_type(recs, "sample"), of_type(recs, "result")
    assert len(samples) == 3 and len(results) == 1, recs
    r = results[0]
    assert r["ok"] is True and r["stratum"] == 8 and r["samples"] == 3, r
    assert abs(r["offset_ms"]) < 50 and 0 <= r["delay_ms"] < 50, r
    assert r["refid"] == "127.127.1.1", r  # chrony's local reference
    assert r["leap"] == "none" and r["version"] == 4, r
    assert r["delay_ms"] == min(s["delay_ms"] for s in samples), "the lowest-delay sample wins"
    assert r["schema_version"] == 1


@test
def client_text_output_against_chronyd():
    port = free_udp_port()
    with chronyd(port, stratum=5):
        proc = nettool("udp-time", f"127.0.0.1:{port}", check=0)
    assert "offset" in proc.stdout and "stratum 5" in proc.stdout, proc.stdout
    assert re.search(r"server time\s+20\d\d-\d\d-\d\dT", proc.stdout), proc.stdout


def _run_in_ns_server(ns, *args):
    return start_server("udp-time", "server", *args, netns=ns)


@test
def ntpdig_and_ntpdate_against_server_on_port_123():
    # ntpsec's sntp (ntpdig) and its ntpdate shim always use port 123: give the server its own namespace.
    with Netns(["t"]) as ns:
        srv, rec = _run_in_ns_server(ns["t"], "--listen", "127.0.0.1:123", "--stratum", 4)
        with srv:
            assert rec["address"] == "127.0.0.1:123", rec
            out = ns.exec("t", "sntp -t 2 127.0.0.1", check=False)
            assert out.returncode == 0, out.stdout + out.stderr
            # "2026-11-25 06:20:01.123456 (+0000) +0.000012 +/- 0.000100 127.0.0.1 s4 no-leap"
            m = re.search(r"([+-]\d+\.\d+) \+/- \S+ .* s(\d+)", out.stdout)
            assert m, out.stdout
            assert abs(float(m.group(1))) < 0.05 and m.group(2) == "4", out.stdout
            out = ns.exec("t", "ntpdate -q 127.0.0.1", check=False)
            assert out.returncode == 0 and "s4" in out.stdout, out.stdout + out.stderr
            code, rest, _ = srv.finish()
        assert code == 0
        summary = of_type(jsonl(rest), "summary")[-1]
        assert summary["final"] is True and summary["replies"] >= 2, summary


@test
def python_sntp_client_versions():
    srv, rec = start_server("udp-time", "server", "--listen", "127.0.0.1:0", "--stratum", 1, "--refid", "GPS")
    with srv:
        _, port = split_hostport(rec["address"])
        for version in (1, 2, 3, 4):
            req = sntp_request(version=version)
            before = time.time()
            data = exchange(port, req)
            after = time.time()
            assert data is not None, f"no reply to version {version}"
            p = parse_sntp(data)
            assert p["size"] == 48 and p["mode"] == 4 and p["version"] == version and p["stratum"] == 1, p
            assert p["origin"] == req[40:48] and p["refid"] == b"GPS\0", p
            assert before - 0.01 <= ntp_to_unix(p["transmit"]) <= after + 0.01


@test
def python_time_client_rfc868():
    srv, rec = start_server("udp-time", "server", "--listen", "127.0.0.1:0", "--protocol", "time")
    with srv:
        assert rec["protocol"] == "time"
        _, port = split_hostport(rec["address"])
        data = exchange(port, b"")
        assert data is not None and len(data) == 4, data
        (secs,) = struct.unpack("!I", data)
        assert abs((secs - 2208988800) - time.time()) < 2, secs


@test
def python_daytime_client_both_formats():
    for fmt_name, pattern in (("ctime", r"^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\r\n$"),
                              ("iso", r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z\r\n$")):
        srv, rec = start_server("udp-time", "server", "--listen", "127.0.0.1:0", "--protocol", "daytime",
                                "--daytime-format", fmt_name)
        with srv:
            _, port = split_hostport(rec["address"])
            data = exchange(port, b"what time is it?")
            assert data is not None, fmt_name
            text = data.decode()
            assert re.match(pattern, text), repr(text)
            if fmt_name == "ctime":
                t = calendar.timegm(time.strptime(text.strip(), "%a %b %d %H:%M:%S %Y"))
                assert abs(t - time.time()) < 2, text


@test
def nettool_client_against_nettool_server_all_protocols():
    for proto in ("sntp", "time", "daytime"):
        srv, rec = start_server("udp-time", "server", "--listen", "127.0.0.1:0", "--protocol", proto)
        with srv:
            proc = nettool("udp-time", rec["address"], "--protocol", proto, "--max-offset", 1, "--json", check=0)
            doc = json.loads(jq_ok(proc.stdout))
            result = [r for r in doc["records"] if r["type"] == "result"][0] if "records" in doc else doc
            assert result["ok"] is True and abs(result["offset_ms"]) < 1000, (proto, result)
            assert result["protocol"] == proto


@test
def ipv6_loopback():
    srv, rec = start_server("udp-time", "server", "--listen", "[::1]:0")
    with srv:
        assert rec["address"].startswith("[::1]:"), rec
        nettool("udp-time", rec["address"], "--max-offset", 0.1, check=0)


@test
def refid_by_stratum():
    for args, refid in ((["--stratum", 1], "LOCL"), (["--stratum", 2, "--refid", "10.1.2.3"], "10.1.2.3"),
                        (["--stratum", 12], "127.127.1.1")):
        srv, rec = start_server("udp-time", "server", "--listen", "127.0.0.1:0", *args)
        with srv:
            assert rec["refid"] == refid, rec
            proc = nettool("udp-time", rec["address"], "--jsonl", check=0)
            assert of_type(jsonl(proc.stdout), "result")[0]["refid"] == refid


@test
def wildcard_server_answers_v4_and_v6_from_the_right_address():
    port = free_udp_port()
    srv, rec = start_server("udp-time", "server", "--listen", f":{port}")
    with srv:
        nettool("udp-time", f"127.0.0.1:{port}", check=0)
        nettool("udp-time", f"127.0.0.2:{port}", check=0)  # reply must come from 127.0.0.2 (IP_PKTINFO)
        nettool("udp-time", f"[::1]:{port}", check=0)


run_tests()
