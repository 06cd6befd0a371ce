#!/usr/bin/env bash
# udp-time benchmark: the same SNTP load generator (tests/bench/udp_time_loadgen.cpp, built here with
# g++) against `nettool udp-time server` and against chronyd as a loopback local-stratum server with
# rate limiting off, in one run. Server pinned to CPU 0, generator to CPU 1. Reports answered
# queries/s with 1 and 32 requests in flight, server CPU time per answered query, and the ratios.
# Loopback only; every process is stopped by PID. Usage: tests/bench/udp-time.sh [NETTOOL] [SECONDS]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NETTOOL=${1:-${NETTOOL:-build/nettool}}
SECONDS_PER_RUN=${2:-5}
SRC_DIR=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/nt-bench-udp-time.XXXXXX)
chmod 777 "$WORK"
PIDS=()
cleanup() {
  stop_pids
  rm -rf "$WORK"
}
trap cleanup EXIT

command -v chronyd >/dev/null || { echo "chronyd not installed" >&2; exit 3; }
[ -x "$NETTOOL" ] || { echo "nettool binary not found: $NETTOOL" >&2; exit 3; }
g++ -O2 -std=c++20 -o "$WORK/loadgen" "$SRC_DIR/udp_time_loadgen.cpp"

NCPU=$(nproc)
SERVER_CPU=0
GEN_CPU=$((NCPU > 1 ? 1 : 0))


# CPU time of a process in nanoseconds (first field of /proc/PID/schedstat: time on CPU).
cpu_ns() { awk '{print $1}' "/proc/$1/schedstat"; }

# run_load PID PORT INFLIGHT → "qps cpu_us_per_query"
run_load() {
  local pid=$1 port=$2 inflight=$3 before after out answered
  before=$(cpu_ns "$pid")
  out=$(taskset -c "$GEN_CPU" "$WORK/loadgen" "$port" "$inflight" "$SECONDS_PER_RUN")
  after=$(cpu_ns "$pid")
  answered=$(sed -E 's/.*answered=([0-9]+).*/\1/' <<<"$out")
  local qps
  qps=$(sed -E 's/.*qps=([0-9]+).*/\1/' <<<"$out")
  python3 -c "import sys; a=int(sys.argv[1]); c=(int(sys.argv[3])-int(sys.argv[2]))/1e3; print(sys.argv[4], f'{c/a:.3f}' if a else 'inf')" \
    "$answered" "$before" "$after" "$qps"
}

wait_answering() {
  local port=$1
  python3 - "$port" <<'PY'
import os, socket, sys, time
port = int(sys.argv[1])
deadline = time.monotonic() + 10
while time.monotonic() < deadline:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(0.2)
        s.sendto(bytes([0x23]) + bytes(39) + os.urandom(8), ("127.0.0.1", port))
        try:
            s.recv(100)
            sys.exit(0)
        except socket.timeout:
            pass
sys.exit(1)
PY
}

declare -A RESULT

# ---- nettool ----
NT_PORT=$(free_udp_port)
taskset -c "$SERVER_CPU" "$NETTOOL" udp-time server --listen "127.0.0.1:$NT_PORT" --rate-limit 0 \
  --summary-interval 0 -q >"$WORK/nettool.out" 2>&1 &
NT_PID=$!
PIDS+=("$NT_PID")
wait_answering "$NT_PORT"

# ---- chronyd ----
CH_PORT=$(free_udp_port)
cat >"$WORK/chrony.conf" <<CONF
port $CH_PORT
local stratum 8
allow 127.0.0.1
bindaddress 127.0.0.1
cmdport 0
pidfile $WORK/chronyd.pid
driftfile $WORK/drift
CONF
taskset -c "$SERVER_CPU" chronyd -x -d -f "$WORK/chrony.conf" >"$WORK/chronyd.out" 2>&1 &
CH_PID=$!
PIDS+=("$CH_PID")
wait_answering "$CH_PORT"

for inflight in 1 32; do
  RESULT[nettool,$inflight]=$(run_load "$NT_PID" "$NT_PORT" "$inflight")
  RESULT[chronyd,$inflight]=$(run_load "$CH_PID" "$CH_PORT" "$inflight")
done

printf '%-10s %-9s %14s %18s\n' server inflight "answered/s" "cpu_us/query"
for inflight in 1 32; do
  for s in nettool chronyd; do
    read -r qps cpu <<<"${RESULT[$s,$inflight]}"
    printf '%-10s %-9s %14s %18s\n' "$s" "$inflight" "$qps" "$cpu"
  done
done
echo
for inflight in 1 32; do
  read -r nq nc <<<"${RESULT[nettool,$inflight]}"
  read -r cq cc <<<"${RESULT[chronyd,$inflight]}"
  python3 -c "import sys; nq,nc,cq,cc=map(float,sys.argv[2:]); print(f'inflight {sys.argv[1]}: answered/s ratio nettool/chronyd = {nq/cq:.2f}x, cpu/query ratio = {nc/cc:.2f}x')" \
    "$inflight" "$nq" "$nc" "$cq" "$cc"
done
