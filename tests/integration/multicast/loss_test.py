#!/usr/bin/env python3
"""Loss accounting against the kernel's own count: nft drops 10% of the group's datagrams in the
receiver's namespace; the reported loss must equal nft's drop counter exactly (--expect makes the
range 0..N-1, so losses at the start and the end count too). Then reordering and duplicates made by
a python sender speaking the documented header."""
import json
import struct
import time

from mclib import finish, lab, send, start_receiver, summaries
from ntlib import of_type, require_peer, run_tests, test

NFT_RULES = """table inet ntmcloss {
  chain input {
    type filter hook input priority 0; policy accept;
    udp dport 5100 numgen random mod 10 == 0 counter drop
  }
}
"""


def nft_dropped(ns):
    out = ns.exec("r", "nft -j list table inet ntmcloss").stdout
    for item in json.loads(out)["nftables"]:
        rule = item.get("rule")
        if not rule:
            continue
        for expr in rule["expr"]:
            if "counter" in expr:
                return expr["counter"]["packets"]
    raise AssertionError(f"no counter in {out}")


@test
def loss_equals_nft_drop_counter():
    require_peer("nft")
    with lab() as (ns, _, _):
        ns.exec("r", f"nft -f - <<'EOF'\n{NFT_RULES}EOF")
        before = 0
        for _ in range(2):  # twice: the second run must not inherit anything from the first
            count = 1000
            r = start_receiver(ns, "239.9.9.9:5100", "--expect", count, "--timeout", 4)
            send(ns, "239.9.9.9:5100", "--count", count, "--rate", 2000)
            code, recs, err = finish(r)
            # The rule's anonymous counter is not reset by `nft reset counters` (named ones only).
            total = nft_dropped(ns)
            dropped, before = total - before, total
            (summary,) = summaries(recs)
            assert dropped > 0 and code == 1, (dropped, code, err)
            assert summary["lost"] == dropped, (summary, dropped)
            assert summary["unique"] == count - dropped and summary["duplicated"] == 0, summary
            assert abs(summary["loss_percent"] - 100.0 * dropped / count) < 1e-9, summary


def header(sender_id, seq, size=40):
    return struct.pack(">4sBBHIIQq", b"NTMC", 1, 0, 32, sender_id, size, seq, time.time_ns()) + bytes(size - 32)


@test
def reordering_duplicates_and_gaps_from_a_python_sender():
    with lab() as (ns, _, _):
        r = start_receiver(ns, "239.9.9.10:5101", "--timeout", 3, "--expect", 10)
        order = [0, 1, 3, 2, 2, 5, 4, 9, 9]  # 6, 7, 8 never come
        script = ("import socket,struct,time\n"
                  "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
                  f"for q in {order}:\n"
                  "    b=struct.pack('>4sBBHIIQq',b'NTMC',1,0,32,77,40,q,time.time_ns())+bytes(8)\n"
                  "    s.sendto(b,('239.9.9.10',5101))\n")
        ns.exec("s", f"python3 -c \"{script}\"")
        code, recs, err = finish(r)
        assert code == 1, (code, err)
        (s,) = summaries(recs)
        assert s["sender_id"] == 77 and s["received"] == 9 and s["unique"] == 7, s
        assert s["duplicated"] == 2 and s["reordered"] == 2 and s["gaps"] == 3, s
        assert s["lost"] == 3 and s["first_seq"] == 0 and s["last_seq"] == 9, s
        assert of_type(recs, "foreign") == []


run_tests()
