#!/usr/bin/env bash
# chat-server benchmark: fan-out, 1 sender -> 99 receivers, 1,000 lines each, through nettool
# chat-server, ncat --broker (a raw line relay) and ncat --chat, side by side, driven by the same
# client (tests/bench/chat_fanout.cpp, built here with g++), which checks every line afterwards:
# delivered once, in order, intact (lost and corrupted lines are counted). Prints deliveries/s (wall
# clock, median and best of ROUNDS), server CPU per delivery (schedstat, every thread, over all rounds)
# and its inverse, deliveries per server CPU-second, with ratios to ncat, the median time from the
# burst's send to the first byte at a receiver, and the driver's own CPU share
# of the receiving time (near 100%: the driver, not the server, set the pace; a python driver did, at
# ~3.5 M deliveries/s, whatever the server). Then the RSS of 10,000 idle joined clients
# (tests/bench/chat_idle.py). Loopback only. The three servers take turns PASSES times (the CPUs change
# speed for minutes at a time): the ratios are per pass, and their median is the figure.
#
#   tests/bench/chat-server.sh [NETTOOL]     env: ROUNDS=10 PASSES=3 RECEIVERS=99 LINES=1000 IDLE=10000
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NETTOOL=$(realpath "${1:-${NETTOOL:-build/nettool}}")
ROUNDS=${ROUNDS:-10}
PASSES=${PASSES:-3}
RECEIVERS=${RECEIVERS:-99}
LINES=${LINES:-1000}
IDLE=${IDLE:-10000}
HERE=$(dirname "$0")

for tool in ncat jq python3 g++; do
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
g++ -O2 -std=c++20 -o "$WORK/chat_fanout" "$HERE/chat_fanout.cpp"


# run NAME MODE CMD...: starts the server, runs the driver, prints one table row, keeps the JSON.
run() {
  local name=$1 mode=$2; shift 2
  local port; port=$(free_port)
  "${@//PORT/$port}" >"$WORK/$name.log" 2>&1 &
  server_pid=$!
  wait_port "$port"
  "$WORK/chat_fanout" "$mode" "$port" "$server_pid" "$RECEIVERS" "$LINES" "$ROUNDS" >"$WORK/$name.json"
  stop_server
  jq -r --arg n "$name" '[$n, (.deliveries_per_s|floor), (.best_deliveries_per_s|floor), (.deliveries_per_cpu_s|floor), .lost, .corrupted, (.cpu_us_per_delivery*1000|round/1000), (.first_byte_ms*100|round/100), (.driver_cpu_share*100|round)] | @tsv' \
    "$WORK/$name.json"
}

echo "fan-out: 1 sender -> $RECEIVERS receivers, $LINES lines, $ROUNDS rounds each, $PASSES passes"
printf '%-16s %12s %12s %14s %6s %10s %13s %11s %8s\n' server "median/s" "best/s" "deliv/CPU-s" lost corrupted "CPU µs/deliv" "1st byte ms" "driver%"
for pass in $(seq "$PASSES"); do
  run "nettool.$pass" json "$NETTOOL" chat-server --listen 127.0.0.1:PORT --rate 0 --stats-interval 0 -q
  run "ncat-broker.$pass" broker ncat --broker --max-conns 1000 -l 127.0.0.1 PORT
  run "ncat-chat.$pass" chat ncat --chat --max-conns 1000 -l 127.0.0.1 PORT
done | while IFS=$'\t' read -r n d b k l c u f p; do
  printf '%-16s %12s %12s %14s %6s %10s %13s %11s %8s\n' "$n" "$d" "$b" "$k" "$l" "$c" "$u" "$f" "$p"
done
# ratio FIELD PEER: the median over passes of nettool's FIELD / PEER's FIELD.
ratio_of() {
  local field=$1 peer=$2 pass
  for pass in $(seq "$PASSES"); do
    jq -n --slurpfile a "$WORK/nettool.$pass.json" --slurpfile b "$WORK/$peer.$pass.json" \
      "if \$b[0].$field > 0 then \$a[0].$field / \$b[0].$field else 0 end"
  done | sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2fx", m }'
}
echo "deliveries/s, median round: nettool / ncat --broker $(ratio_of deliveries_per_s ncat-broker), nettool / ncat --chat $(ratio_of deliveries_per_s ncat-chat)"
echo "deliveries/s, best round: nettool / ncat --broker $(ratio_of best_deliveries_per_s ncat-broker), nettool / ncat --chat $(ratio_of best_deliveries_per_s ncat-chat)"
echo "deliveries per server CPU-second: nettool / ncat --broker $(ratio_of deliveries_per_cpu_s ncat-broker), nettool / ncat --chat $(ratio_of deliveries_per_cpu_s ncat-chat)"
echo "(each: the median over $PASSES passes of the pass's ratio)"

echo
echo "idle: $IDLE joined clients"
port=$(free_port)
"$NETTOOL" chat-server --listen "127.0.0.1:$port" --rate 0 --stats-interval 0 -q >/dev/null 2>&1 &
server_pid=$!
wait_port "$port"
python3 "$HERE/chat_idle.py" "$port" "$server_pid" --clients "$IDLE" |
  jq -r '"server RSS with \(.clients) idle joined clients: \(.server_rss_kib/1024|floor) MiB (limit 64 MiB)"'
stop_server
