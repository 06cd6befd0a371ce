#!/usr/bin/env bash
# tcp-echo benchmark: the nettool echo server side by side with a minimal epoll echo server (the
# baseline: tests/bench/minimal_echo.c, compiled here; one thread, level-triggered read -> write),
# socat (TCP-LISTEN:P,fork,reuseaddr PIPE) and ncat (-l -k --exec /bin/cat; round trips only: its relay stalls on full-duplex bulk streams), all
# driven by the same load generator (nettool tcp-echo client --bench) at 1, 10 and 100 connections;
# one bulk stream beside iperf3; and the RSS of 10,000 idle connections. Loopback only.
#
# Server and load generator are pinned to different cores (taskset): on a 2-core machine a cross-core
# wake-up costs ~60 µs and would otherwise dominate one connection. Server CPU time is utime+stime of
# the server and its reaped children (socat and ncat fork per connection), read from /proc after the
# run, divided by the round trips the load generator counted.
#
#   tests/bench/tcp-echo.sh [NETTOOL]     env: DURATION=5 SIZE=64 SERVER_CPU=0 CLIENT_CPU=1 BULK=4G PAIRS=5
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
declare -A P C

NETTOOL=$(realpath "${1:-${NETTOOL:-build/nettool}}")
DURATION=${DURATION:-5}
SIZE=${SIZE:-64}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
BULK=${BULK:-4G}
CONNECTION_COUNTS=${CONNECTION_COUNTS:-"1 10 100"}

for tool in socat ncat iperf3 jq taskset python3 cc; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 3; }
done
ulimit -n "$(ulimit -Hn)"

server_pid=""
WORK=$(mktemp -d)
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$WORK"
  true
}
trap cleanup EXIT
MINIMAL=$WORK/minimal_echo
cc -O2 -o "$MINIMAL" "$(dirname "$0")/minimal_echo.c"



start_server() {  # kind port
  case $1 in
    nettool) taskset -c "$SERVER_CPU" "$NETTOOL" tcp-echo server --listen "127.0.0.1:$2" --max-clients 20000 \
               --idle-timeout 0 -q >/dev/null & ;;
    minimal) taskset -c "$SERVER_CPU" "$MINIMAL" "$2" & ;;
    socat) taskset -c "$SERVER_CPU" socat "TCP-LISTEN:$2,bind=127.0.0.1,fork,reuseaddr,backlog=1024" PIPE & ;;
    ncat) taskset -c "$SERVER_CPU" ncat -l -k 127.0.0.1 "$2" --max-conns 2000 --exec /bin/cat & ;;
  esac
  server_pid=$!
  wait_port "$2"
}


# Runs the load against a server kind; prints "rtps mbps p50 p99 cpu_us_per_rt errors".
measure() {  # kind connections
  local port; port=$(free_port)
  start_server "$1" "$port"
  local before after out
  before=$(cpu_seconds "$server_pid")
  out=$(taskset -c "$CLIENT_CPU" "$NETTOOL" tcp-echo client "127.0.0.1:$port" --bench --connections "$2" \
          --duration "$DURATION" --size "$SIZE" --jsonl 2>/dev/null | jq -c 'select(.type=="summary")' || true)
  sleep 1  # let forked servers' children exit and be reaped, so their CPU time is counted
  after=$(cpu_seconds "$server_pid")
  stop_server
  if [[ -z $out ]]; then echo "0 0 0 0 0 fail"; return; fi
  jq -r --argjson cpu "$(echo "$after - $before" | bc -l)" \
    '[.round_trips_per_s, .mb_per_s, .rtt_ms_p50, .rtt_ms_p99,
      (if .round_trips > 0 then $cpu * 1e6 / .round_trips else 0 end), (.errors + .mismatches)] | @tsv' <<<"$out"
}


echo "== round trips: ${SIZE}-byte messages, pipeline 1, ${DURATION} s, server on CPU $SERVER_CPU, load on CPU $CLIENT_CPU"
printf '%-5s %-8s %12s %9s %9s %9s %14s %6s\n' conns server "round trips/s" "MB/s" "p50 ms" "p99 ms" "server µs/rt" errors
declare -A R
for c in $CONNECTION_COUNTS; do
  for kind in nettool minimal socat ncat; do
    read -r rtps mbps p50 p99 cpu errs < <(measure "$kind" "$c")
    R[$kind,$c]="$rtps $cpu"
    printf '%-5s %-8s %12.0f %9.2f %9.3f %9.3f %14.2f %6s\n' "$c" "$kind" "$rtps" "$mbps" "$p50" "$p99" "$cpu" "$errs"
  done
  read -r n_rt n_cpu <<<"${R[nettool,$c]}"
  for peer in minimal socat ncat; do
    read -r p_rt p_cpu <<<"${R[$peer,$c]}"
    echo "      nettool vs $peer at $c: round trips x$(ratio "$n_rt" "$p_rt"), server CPU per round trip x$(ratio "$n_cpu" "$p_cpu")"
  done
done

# One 5-second run per server is at the mercy of the CPU clock, which here changes speed for minutes at a
# time (single runs of the same binary differ by 30%). The target ratio is the median of PAIRS
# back-to-back pairs, alternating which server goes first so a drifting clock favours neither.
PAIRS=${PAIRS:-5}
ratios=() cpu_ratios=()
for i in $(seq "$PAIRS"); do
  if (( i % 2 )); then order="nettool minimal"; else order="minimal nettool"; fi
  for kind in $order; do read -r P[$kind] _ _ _ C[$kind] _ < <(measure "$kind" 100); done
  ratios+=("$(ratio "${P[nettool]}" "${P[minimal]}")")
  cpu_ratios+=("$(ratio "${C[nettool]}" "${C[minimal]}")")
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo
echo "== nettool / minimal epoll echo at 100 connections, $PAIRS interleaved pairs: round trips" \
  "x$(median "${ratios[@]}") median (pairs: ${ratios[*]}; target >= 0.95), server CPU per round trip" \
  "x$(median "${cpu_ratios[@]}") median"

echo
echo "== one bulk stream ($BULK echoed; iperf3 sends one way for ${DURATION} s)"
port=$(free_port)
start_server nettool "$port"
bulk=$(taskset -c "$CLIENT_CPU" "$NETTOOL" tcp-echo client "127.0.0.1:$port" --bulk "$BULK" --jsonl |
         jq -r 'select(.type=="summary").mb_per_s')
stop_server
port=$(free_port)
start_server socat "$port"
socat_bulk=$(taskset -c "$CLIENT_CPU" "$NETTOOL" tcp-echo client "127.0.0.1:$port" --bulk "$BULK" --jsonl 2>/dev/null |
               jq -r 'select(.type=="summary").mb_per_s' || echo 0)
stop_server
port=$(free_port)
taskset -c "$SERVER_CPU" iperf3 -s -1 -p "$port" -B 127.0.0.1 >/dev/null &
server_pid=$!
sleep 0.5  # no wait_port: iperf3 -s -1 would take the probe connection as its one client
iperf=$(taskset -c "$CLIENT_CPU" iperf3 -c 127.0.0.1 -p "$port" -t "$DURATION" -J |
          jq '.end.sum_received.bits_per_second / 8 / 1e6')
wait "$server_pid" 2>/dev/null || true
server_pid=""
printf 'nettool echo  %10.1f MB/s (every byte checked)\n' "$bulk"
printf 'socat PIPE    %10.1f MB/s (nettool client)\n' "$socat_bulk"
printf 'iperf3        %10.1f MB/s (one way, not checked)\n' "$iperf"
echo "      nettool vs iperf3: x$(ratio "$bulk" "$iperf"); vs socat: x$(ratio "$bulk" "$socat_bulk")"

echo
echo "== RSS of 10,000 idle connections"
port=$(free_port)
start_server nettool "$port"
base=$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status")
python3 - "$port" "$server_pid" <<'PY'
import resource, socket, sys, time
port, pid = int(sys.argv[1]), sys.argv[2]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 20000), hard))
socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(10000)]
time.sleep(1)
rss = int(next(l.split()[1] for l in open(f"/proc/{pid}/status") if l.startswith("VmRSS")))
print(f"10000 idle connections: server RSS {rss} KiB ({rss / 1024:.1f} MiB; target < 64 MiB)")
for s in socks: s.close()
PY
stop_server
echo "baseline ${base} KiB (server idle, before the connections)"
