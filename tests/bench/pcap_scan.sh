#!/usr/bin/env bash
# --pcap on a port scan: what recording costs a loopback connect scan, side by side with tcpdump
# recording the same traffic. `nettool portscan --connect 127.0.0.1 -p 1-PORTS` runs three times: plain,
# with --pcap FILE, and plain while `tcpdump -i any -w FILE` records TCP to and from 127.0.0.1. Reports
# probes/s, the packets each file holds per probe, and the ratios. Loopback only; tcpdump is stopped by
# PID. Needs root (capture).
# Usage: tests/bench/pcap_scan.sh [NETTOOL] [PORTS]
set -euo pipefail

NETTOOL=${1:-${NETTOOL:-build/nettool}}
PORTS=${2:-20000}
WORK=$(mktemp -d /tmp/nt-bench-pcap-scan.XXXXXX)
TD_PID=""
cleanup() {
  if [ -n "$TD_PID" ]; then kill "$TD_PID" 2>/dev/null || true; wait "$TD_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

command -v tcpdump >/dev/null || { echo "tcpdump not installed" >&2; exit 3; }
[ -x "$NETTOOL" ] || { echo "nettool binary not found: $NETTOOL" >&2; exit 3; }
[ "$(id -u)" = 0 ] || { echo "needs root (CAP_NET_RAW) to capture" >&2; exit 3; }

# probes/s of one scan (extra args: --pcap FILE or nothing)
scan() {
  "$NETTOOL" portscan --connect 127.0.0.1 -p "1-$PORTS" --jsonl -q "$@" |
    python3 -c 'import json,sys; s=[r for r in map(json.loads, sys.stdin) if r["type"]=="summary"][0]; print(s["probes"] / s["duration_s"])'
}
packets() { tcpdump -r "$1" -nn 2>/dev/null | wc -l; }

PLAIN=$(scan)
WITH_PCAP=$(scan --pcap "$WORK/nettool.pcap")
tcpdump -i any -w "$WORK/tcpdump.pcap" -U -B 16384 "tcp and host 127.0.0.1" 2>"$WORK/tcpdump.err" &
TD_PID=$!
for _ in $(seq 1 50); do grep -q "listening on" "$WORK/tcpdump.err" && break; sleep 0.1; done
WITH_TCPDUMP=$(scan)
kill -INT "$TD_PID"
wait "$TD_PID" 2>/dev/null || true
TD_PID=""

python3 - "$PLAIN" "$WITH_PCAP" "$(packets "$WORK/nettool.pcap")" "$WITH_TCPDUMP" \
  "$(packets "$WORK/tcpdump.pcap")" "$PORTS" <<'PY'
import sys
plain, pcap, nt_pkts, td, td_pkts, ports = map(float, sys.argv[1:])
print(f"{'run':22} {'probes/s':>12} {'packets/probe':>14}")
print(f"{'plain':22} {plain:12.0f} {'-':>14}")
print(f"{'nettool --pcap':22} {pcap:12.0f} {nt_pkts / ports:14.2f}")
print(f"{'plain + tcpdump -w':22} {td:12.0f} {td_pkts / ports:14.2f}")
print()
print(f"--pcap / plain           = {pcap / plain:.2f}x probes/s")
print(f"--pcap / tcpdump         = {pcap / td:.2f}x probes/s")
print("(a closed port costs 2 packets, SYN and RST-ACK; tcpdump -i any may drop some under load)")
PY
