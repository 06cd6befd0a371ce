"""udp-time under abuse: the server ignores garbage (never replies to it) and keeps answering; a
flood from one source is rate-limited while another source is answered; the client rejects
spoofed replies and honours kisses of death; retries back off visibly."""
import os
import random
import signal

from timelib import FakeSntpServer, exchange, parse_sntp, replies_to, server_reply, sntp_request
from ntlib import jsonl, nettool, of_type, run_tests, start_server, split_hostport, test


def _server(*args):
    srv, rec = start_server("udp-time", "server", "--listen", "127.0.0.1:0", *args)
    return srv, split_hostport(rec["address"])[1]


def _garbage():
    rnd = random.Random(5)
    valid = bytearray(sntp_request())
    yield b""                                   # empty
    yield bytes(valid[:47])                     # truncated header
    yield bytes(valid[:20])
    yield bytes(valid) + b"\0\0"                # not in 32-bit words
    yield bytes(valid) + os.urandom(2000)       # oversized
    yield os.urandom(9000)                      # larger than any buffer: MSG_TRUNC
    for mode in (0, 1, 2, 4, 5, 6, 7):          # every non-client mode
        yield sntp_request(mode=mode)
    for version in (0, 5, 6, 7):
        yield sntp_request(version=version)
    for _ in range(200):                        # random datagrams that are not mode-3 v1-4 headers
        d = bytearray(rnd.randbytes(rnd.choice([1, 13, 47, 48, 52, 96, 700])))
        if len(d) >= 48 and len(d) % 4 == 0 and d[0] & 7 == 3 and 1 <= (d[0] >> 3) & 7 <= 4:
            d[0] = (d[0] & ~7) | 4
        yield bytes(d)


@test
def server_never_replies_to_garbage_and_keeps_serving():
    srv, port = _server("--rate-limit", 0)
    with srv:
        garbage = list(_garbage())
        assert replies_to(port, garbage, wait=0.7) == [], "replied to garbage"
        data = exchange(port, sntp_request())
        assert data is not None and parse_sntp(data)["mode"] == 4
        nettool("udp-time", f"127.0.0.1:{port}", "--max-offset", 0.1, check=0)
        code, rest, _ = srv.finish()
    assert code == 0
    s = of_type(jsonl(rest), "summary")[-1]
    assert s["dropped_total"] == len(garbage), s
    assert s["replies"] == 2 and s["requests"] == len(garbage) + 2, s
    d = s["dropped"]
    assert d["not_client"] >= 7 and d["bad_version"] >= 4 and d["oversized"] == 2 and d["malformed"] >= 4, d


@test
def garbage_in_daytime_and_time_mode_only_oversized_is_dropped():
    for proto, size in (("time", 4), ("daytime", None)):
        srv, port = _server("--protocol", proto)
        with srv:
            assert replies_to(port, [os.urandom(600), os.urandom(4000)], wait=0.4) == []
            r = exchange(port, b"x")
            assert r is not None and (size is None or len(r) == size)
            assert len(r) <= 40, r


@test
def flood_from_one_source_is_limited_other_source_still_answered():
    srv, port = _server("--rate-limit", 5, "--rate-burst", 10, "-v")
    with srv:
        flood = [sntp_request() for _ in range(300)]
        got = replies_to(port, flood, wait=0.7, bind="127.0.0.1")
        normal = [p for p in got if parse_sntp(p)["stratum"] != 0]
        kods = [p for p in got if parse_sntp(p)["stratum"] == 0]
        assert 10 <= len(normal) <= 14, len(normal)  # the burst, plus what refilled meanwhile
        assert 1 <= len(kods) <= 2, len(kods)        # at most one KoD per second per source
        assert all(parse_sntp(k)["refid"] == b"RATE" and parse_sntp(k)["leap"] == 3 for k in kods)
        assert all(len(p) == 48 for p in got)
        other = exchange(port, sntp_request(), bind="127.0.0.2")
        assert other is not None and parse_sntp(other)["stratum"] != 0, "second source starved"
        code, rest, _ = srv.finish()
    recs = jsonl(rest)
    s = of_type(recs, "summary")[-1]
    assert s["rate_limited"] == 300 - len(normal) and s["kod_sent"] == len(kods), s
    reqs = of_type(recs, "request")
    assert {r["action"] for r in reqs} == {"reply", "kod", "drop"}, "-v shows every request"
    assert any(r["reason"] == "rate_limited" for r in reqs)


@test
def limit_action_drop_sends_no_kod():
    srv, port = _server("--rate-limit", 1, "--rate-burst", 2, "--limit-action", "drop")
    with srv:
        got = replies_to(port, [sntp_request() for _ in range(20)], wait=0.5)
        assert len(got) == 2 and all(parse_sntp(p)["stratum"] != 0 for p in got), len(got)


@test
def client_rejects_spoofed_origin():
    with FakeSntpServer(lambda req: [server_reply(req, origin=os.urandom(8))]) as fake:
        proc = nettool("udp-time", f"127.0.0.1:{fake.port}", "--timeout", 0.3, "--retries", 1, "-v", "--jsonl",
                       check=1)
    recs = jsonl(proc.stdout)
    assert not of_type(recs, "sample")
    rejected = of_type(recs, "rejected")
    assert len(rejected) == 2 and all(r["reason"] == "wrong_origin" for r in rejected), recs
    assert of_type(recs, "result")[0]["ok"] is False


@test
def client_skips_spoofed_reply_and_takes_the_genuine_one():
    spoof_then_real = lambda req: [server_reply(req, origin=os.urandom(8), offset_s=1000), server_reply(req)]
    with FakeSntpServer(spoof_then_real) as fake:
        proc = nettool("udp-time", f"127.0.0.1:{fake.port}", "--max-offset", 0.5, "--jsonl", "-v", check=0)
    recs = jsonl(proc.stdout)
    assert len(of_type(recs, "rejected")) == 1 and abs(of_type(recs, "result")[0]["offset_ms"]) < 500


@test
def client_rejects_wrong_mode_zero_transmit_and_unsynchronised():
    cases = {
        "wrong_mode": lambda req: [server_reply(req, mode=3)],
        "unsynchronised": lambda req: [server_reply(req, leap=3)],
        "zero_transmit": lambda req: [server_reply(req)[:40] + bytes(8)],
    }
    for reason, respond in cases.items():
        with FakeSntpServer(respond) as fake:
            proc = nettool("udp-time", f"127.0.0.1:{fake.port}", "--timeout", 0.3, "--jsonl", check=1)
        result = of_type(jsonl(proc.stdout), "result")[0]
        assert result["failure"] == reason and result["samples"] == 0, (reason, result)


@test
def kod_deny_stops_the_client():
    kiss = lambda req: [server_reply(req, stratum=0, leap=3, refid=b"DENY")]
    with FakeSntpServer(kiss) as fake:
        proc = nettool("udp-time", f"127.0.0.1:{fake.port}", "--count", 3, "--interval", 0.05, "--jsonl", check=1)
        assert fake.requests == 1, "DENY must stop further queries"
    recs = jsonl(proc.stdout)
    assert of_type(recs, "kod")[0]["reason"] == "kod_deny"
    assert of_type(recs, "result")[0]["kod"] == "DENY"
    text = nettool("udp-time", f"127.0.0.1:{fake.port}", "--timeout", 0.2, "--retries", 0, check=1)
    assert "refused" in text.stdout, text.stdout  # the fake is gone: ICMP port unreachable


@test
def kod_rate_backs_off_and_then_succeeds():
    state = {"n": 0}

    def respond(req):
        state["n"] += 1
        if state["n"] == 1:
            return [server_reply(req, stratum=0, leap=3, refid=b"RATE")]
        return [server_reply(req)]

    with FakeSntpServer(respond) as fake:
        proc = nettool("udp-time", f"127.0.0.1:{fake.port}", "--timeout", 0.1, "--interval", 0.1, "-v", "--jsonl",
                       check=0)
    recs = jsonl(proc.stdout)
    assert of_type(recs, "kod")[0]["reason"] == "kod_rate"
    retry = of_type(recs, "retry")[0]
    assert retry["backoff_ms"] >= 100, retry  # at least half of 2 × max(timeout, interval)
    assert of_type(recs, "result")[0]["ok"] is True


@test
def timeouts_retry_with_growing_backoff():
    with FakeSntpServer(lambda req: []) as fake:  # a black hole
        proc = nettool("udp-time", f"127.0.0.1:{fake.port}", "--timeout", 0.1, "--retries", 3, "-v", "--jsonl",
                       check=1)
        assert fake.requests == 4
    recs = jsonl(proc.stdout)
    retries = of_type(recs, "retry")
    assert [r["attempt"] for r in retries] == [1, 2, 3] and all(r["reason"] == "timeout" for r in retries)
    b = [r["backoff_ms"] for r in retries]
    assert 50 <= b[0] <= 100 and 100 <= b[1] <= 200 and 200 <= b[2] <= 400, b
    result = of_type(recs, "result")[0]
    assert result["sent"] == 4 and result["failure"] == "timeout", result


@test
def rate_limiter_memory_is_bounded_under_many_sources():
    srv, port = _server("--rate-limit", 1, "--max-sources", 64)
    with srv:
        rss0 = srv.rss_kib()
        for i in range(2, 202):  # 200 distinct loopback sources
            replies_to(port, [sntp_request()], wait=0, bind=f"127.0.{i // 250}.{i % 250 + 1}")
        assert exchange(port, sntp_request(), bind="127.0.9.9") is not None
        assert srv.rss_kib() - rss0 < 2048
        code, rest, _ = srv.finish()
    s = of_type(jsonl(rest), "summary")[-1]
    assert s["sources_tracked"] <= 64 and s["source_evictions"] >= 130, s


@test
def sigint_gives_final_summary_and_exit_0():
    srv, port = _server("--summary-interval", 0.2)
    with srv:
        exchange(port, sntp_request())
        periodic = srv.wait_for("summary", timeout=5)
        assert periodic["final"] is False and periodic["replies"] == 1, periodic
        code, rest, _ = srv.finish(signal.SIGINT)
    assert code == 0
    assert of_type(jsonl(rest), "summary")[-1]["final"] is True


@test
def daytime_text_from_the_network_cannot_drive_the_terminal():
    # An unparsable daytime reply is shown as the server's text: escaped, never raw escape sequences.
    evil = b"\x1b]0;pwned\x07\x1b[2Jnot a time\x9b31m\r\n"
    with FakeSntpServer(lambda request: [evil]) as fake:
        proc = nettool("udp-time", f"127.0.0.1:{fake.port}", "--protocol", "daytime", "--retries", 0,
                       "--timeout", 2, timeout=30)
    shown = proc.stdout + proc.stderr
    assert "not a time" in shown, (proc.returncode, shown)
    assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown, repr(shown)
    assert "\\x1b]0;pwned" in shown, repr(shown)


run_tests()
