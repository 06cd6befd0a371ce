#!/usr/bin/env python3
"""nettool multicast send → recv in two namespaces: IPv4 any-source, IPv4 source-specific (a second
sender must not be received), IPv6 with a scoped link-local group, IPv4 broadcast, several receivers on
one port, TTL/TOS reporting, --expect exit codes."""
import json
import time

from mclib import R4, S4, S4B, finish, lab, send, start_receiver, summaries
from ntlib import Process, assert_usage_error, jq_ok, nettool, of_type, run_tests, test


@test
def ipv4_any_source_delivers_everything_with_ttl_tos_and_interface():
    with lab() as (ns, s_if, r_if):
        r = start_receiver(ns, "239.7.7.7:5000", "--expect", 50, "--timeout", 10)
        sent = send(ns, "239.7.7.7:5000", "--count", 50, "--rate", 500, "--ttl", 3, "--tos", 184,
                    "--sender-id", 1234)
        code, recs, err = finish(r)
        assert code == 0, (code, err, recs)
        (summary,) = summaries(recs)
        assert summary["sender_id"] == 1234 and summary["sender"].startswith(f"{S4}:"), summary
        assert summary["received"] == 50 and summary["unique"] == 50 and summary["lost"] == 0, summary
        assert summary["duplicated"] == 0 and summary["reordered"] == 0 and summary["gaps"] == 0, summary
        assert summary["ttl"] == 3 and summary["tos"] == 184, summary
        assert summary["interface"] == r_if and summary["complete"] is True, summary
        assert 0 <= summary["delay_ms_min"] <= summary["delay_ms_avg"] <= summary["delay_ms_p99"], summary
        assert of_type(recs, "result")[0]["ok"] is True
        assert of_type(sent, "summary")[0]["sent"] == 50
        assert of_type(sent, "sending")[0]["interface"] == s_if


@test
def ipv4_source_specific_ignores_the_other_sender():
    with lab() as (ns, _, _):
        r = start_receiver(ns, "232.1.2.3:5001", "--source", S4, "--expect", 20, "--timeout", 10)
        send(ns, "232.1.2.3:5001", "--source", S4B, "--count", 20, "--rate", 500, "--sender-id", 2)
        send(ns, "232.1.2.3:5001", "--source", S4, "--count", 20, "--rate", 500, "--sender-id", 1)
        code, recs, err = finish(r)
        assert code == 0, (code, err)
        senders = {s["sender_id"]: s for s in summaries(recs)}
        assert list(senders) == [1], senders
        assert senders[1]["sender"].startswith(f"{S4}:") and senders[1]["unique"] == 20
        assert of_type(recs, "foreign") == []


@test
def ssm_join_outside_232_warns_but_works():
    with lab() as (ns, _, _):
        r = start_receiver(ns, "239.1.2.3:5002", "--source", S4, "--expect", 5, "--timeout", 10)
        send(ns, "239.1.2.3:5002", "--source", S4, "--count", 5, "--rate", 200)
        code, recs, err = finish(r)
        assert code == 0, (code, err)
        assert "outside the source-specific ranges" in err, err


@test
def ipv6_scoped_link_local_group():
    with lab() as (ns, s_if, r_if):
        r = start_receiver(ns, f"[ff02::1:77%{r_if}]:5003", "--expect", 30, "--timeout", 10)
        send(ns, f"[ff02::1:77%{s_if}]:5003", "--count", 30, "--rate", 500, "--hops", 1, "--tos", 32)
        code, recs, err = finish(r)
        assert code == 0, (code, err)
        (summary,) = summaries(recs)
        assert summary["unique"] == 30 and summary["lost"] == 0 and summary["ttl"] == 1, summary
        assert summary["tos"] == 32 and summary["interface"] == r_if, summary
        assert summary["sender"].startswith(("[fd07::1]:", "[fe80::")), summary


@test
def ipv6_source_specific_with_iface():
    with lab() as (ns, s_if, r_if):
        r = start_receiver(ns, "[ff3e::8000:7]:5011", "--source", "fd07::1", "--iface", r_if, "--expect", 10,
                           "--timeout", 10)
        send(ns, "[ff3e::8000:7]:5011", "--iface", s_if, "--source", "fd07::1", "--count", 10, "--rate", 500,
             "--sender-id", 6)
        code, recs, err = finish(r)
        assert code == 0, (code, err)
        assert [(s["sender_id"], s["unique"]) for s in summaries(recs)] == [(6, 10)], recs


@test
def ipv6_link_local_group_without_interface_is_a_usage_error():
    with lab() as (ns, _, _):
        proc = nettool("multicast", "send", "[ff02::1:77]:5003", "--count", 1, netns=ns["s"])
        assert_usage_error(proc, "[ff02::1:77]:5003", "needs an interface")


@test
def ipv4_broadcast_subnet_and_limited():
    with lab() as (ns, s_if, _):
        r = start_receiver(ns, "--broadcast", "10.77.0.255:5004", "--expect", 10, "--timeout", 10)
        send(ns, "--broadcast", "10.77.0.255:5004", "--count", 10, "--rate", 500)
        code, recs, err = finish(r)
        assert code == 0, (code, err)
        assert summaries(recs)[0]["unique"] == 10 and summaries(recs)[0]["ttl"] == 1
        r = start_receiver(ns, "--broadcast", "0.0.0.0:5005", "--expect", 10, "--timeout", 10)
        send(ns, "--broadcast", "255.255.255.255:5005", "--iface", s_if, "--count", 10, "--rate", 500)
        code, recs, err = finish(r)
        assert code == 0, (code, err)
        assert summaries(recs)[0]["unique"] == 10


@test
def two_receivers_share_the_port_and_see_only_their_group():
    with lab() as (ns, _, _):
        a = start_receiver(ns, "239.7.7.8:5006", "--expect", 10, "--timeout", 10)
        b = start_receiver(ns, "239.7.7.8:5006", "--expect", 10, "--timeout", 10)
        other = start_receiver(ns, "239.7.7.9:5006", "--duration", 2)
        send(ns, "239.7.7.8:5006", "--count", 10, "--rate", 500)
        for p in (a, b):
            code, recs, err = finish(p)
            assert code == 0 and summaries(recs)[0]["unique"] == 10, (code, err, recs)
        code, recs, err = finish(other)
        assert code == 0 and summaries(recs) == [] and of_type(recs, "foreign") == [], recs


@test
def expect_not_met_is_exit_1_and_lists_the_shortfall():
    with lab() as (ns, _, _):
        r = start_receiver(ns, "239.7.7.10:5007", "--expect", 20, "--timeout", 1.5)
        send(ns, "239.7.7.10:5007", "--count", 5, "--rate", 500)
        code, recs, err = finish(r)
        assert code == 1, (code, err)
        (summary,) = summaries(recs)
        assert summary["unique"] == 5 and summary["lost"] == 15 and summary["complete"] is False, summary
        result = of_type(recs, "result")[0]
        assert result["ok"] is False and result["timed_out"] is True, result


@test
def two_senders_both_expected():
    with lab() as (ns, _, _):
        r = start_receiver(ns, "239.7.7.11:5008", "--expect", 10, "--senders", 2, "--timeout", 10)
        send(ns, "239.7.7.11:5008", "--count", 10, "--rate", 500)
        send(ns, "239.7.7.11:5008", "--count", 10, "--rate", 500)
        code, recs, err = finish(r)
        assert code == 0, (code, err)
        assert len(summaries(recs)) == 2 and of_type(recs, "result")[0]["complete_senders"] == 2


@test
def verbose_datagram_records_and_text_output():
    with lab() as (ns, _, _):
        r = start_receiver(ns, "239.7.7.12:5009", "--expect", 3, "--timeout", 10, "-v")
        send(ns, "239.7.7.12:5009", "--count", 3, "--rate", 100)
        code, recs, err = finish(r)
        assert code == 0, (code, err)
        dgrams = of_type(recs, "datagram")
        assert [d["seq"] for d in dgrams] == [0, 1, 2], dgrams
        assert [d["arrival"] for d in dgrams] == ["first", "in_order", "in_order"], dgrams


@test
def loop_off_keeps_datagrams_off_this_host_and_json_is_one_document():
    with lab() as (ns, _, _):
        for loop, expected in (("off", 0), ("on", 4)):
            with Process("multicast", "recv", "239.7.7.13:5010", "--duration", 1.5, "--json", netns=ns["s"]) as r:
                time.sleep(0.5)  # the json document only appears at the end: give the join a moment
                send(ns, "239.7.7.13:5010", "--count", 4, "--rate", 100, "--loop", loop)
                out, err = r.proc.communicate(timeout=10)
            assert r.proc.returncode == 0, err
            out = out.decode()
            doc = json.loads(out)
            jq_ok(out)
            assert doc["command"] == "multicast", doc
            got = sum(x["unique"] for x in doc["records"] if x["type"] == "summary")
            assert got == expected, (loop, doc)


run_tests()
