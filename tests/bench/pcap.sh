#!/usr/bin/env bash
# --pcap benchmark: what recording its own traffic costs, side by side with tcpdump recording the same
# traffic. One `nettool tcp-echo server` on loopback; `nettool tcp-echo client --bench` runs against it
# three times: plain, with --pcap FILE, and plain while `tcpdump -i any -w FILE` records the same port.
# Reports round trips/s, the packets each file holds per round trip, and the ratios (--pcap against
# plain, --pcap against tcpdump). Loopback only; every process is stopped by PID. Needs root (capture).
# Usage: tests/bench/pcap.sh [NETTOOL] [SECONDS]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NETTOOL=${1:-${NETTOOL:-build/nettool}}
SECONDS_PER_RUN=${2:-3}
WORK=$(mktemp -d /tmp/nt-bench-pcap.XXXXXX)
PIDS=()
cleanup() {
  stop_pids
  rm -rf "$WORK"
}
trap cleanup EXIT

command -v tcpdump >/dev/null || { echo "tcpdump not installed" >&2; exit 3; }
[ -x "$NETTOOL" ] || { echo "nettool binary not found: $NETTOOL" >&2; exit 3; }
[ "$(id -u)" = 0 ] || { echo "needs root (CAP_NET_RAW) to capture" >&2; exit 3; }

PORT=$(free_port)
"$NETTOOL" tcp-echo server --listen "127.0.0.1:$PORT" -q >"$WORK/server.out" 2>&1 &
PIDS+=("$!")
wait_port "$PORT"

# round trips/s of one client run (extra args: --pcap FILE or nothing)
bench() {
  "$NETTOOL" tcp-echo client "127.0.0.1:$PORT" --bench -d "$SECONDS_PER_RUN" --jsonl "$@" |
    python3 -c 'import json,sys; print([r for r in map(json.loads, sys.stdin) if r["type"]=="summary"][0]["round_trips_per_s"])'
}
packets() { tcpdump -r "$1" -nn 2>/dev/null | wc -l; }
round_trips() { python3 -c "print(int(float('$1') * $SECONDS_PER_RUN))"; }

PLAIN=$(bench)
WITH_PCAP=$(bench --pcap "$WORK/nettool.pcap")
tcpdump -i any -w "$WORK/tcpdump.pcap" -U "tcp port $PORT" 2>"$WORK/tcpdump.err" &
TD_PID=$!
PIDS+=("$TD_PID")
for _ in $(seq 1 50); do grep -q "listening on" "$WORK/tcpdump.err" && break; sleep 0.1; done
WITH_TCPDUMP=$(bench)
kill -INT "$TD_PID"
wait "$TD_PID" 2>/dev/null || true

NT_PKTS=$(packets "$WORK/nettool.pcap")
TD_PKTS=$(packets "$WORK/tcpdump.pcap")
printf '%-22s %16s %20s\n' run "round_trips/s" "packets/round_trip"
printf '%-22s %16.0f %20s\n' plain "$PLAIN" "-"
python3 - "$WITH_PCAP" "$NT_PKTS" "$WITH_TCPDUMP" "$TD_PKTS" "$PLAIN" "$SECONDS_PER_RUN" <<'PY'
import sys
pcap_rt, nt_pkts, td_rt, td_pkts, plain, secs = map(float, sys.argv[1:])
print(f"{'nettool --pcap':22} {pcap_rt:16.0f} {nt_pkts / (pcap_rt * secs):20.2f}")
print(f"{'plain + tcpdump -w':22} {td_rt:16.0f} {td_pkts / (td_rt * secs):20.2f}")
print()
print(f"--pcap / plain           = {pcap_rt / plain:.2f}x round trips/s")
print(f"--pcap / tcpdump         = {pcap_rt / td_rt:.2f}x round trips/s")
print("(tcpdump -i any also sees loopback's outgoing copy of each packet and may drop under load; --pcap records each once)")
PY
