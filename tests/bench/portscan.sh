#!/usr/bin/env bash
# Benchmark: nettool portscan vs nmap -n -Pn -p- -T5 (-sT and -sS) over all 65535 TCP ports of
#   (a) 127.0.0.1 inside a namespace with 5 listeners, and (b) the peer of a veth pair, same listeners.
# Prints wall time, CPU time (user+sys) and the open-port set of each run, and the ratios.
# Needs root (namespaces, raw sockets), nmap, python3. Not run by CI.
#   NETTOOL=build/nettool tests/bench/portscan.sh [ROUNDS]
set -euo pipefail
NETTOOL=$(readlink -f "${NETTOOL:-build/nettool}")
ROUNDS=${1:-3}
HERE=$(cd "$(dirname "$0")/../integration/portscan" && pwd)
TAG=$$
SCANNER=ntbs$TAG TARGET=ntbt$TAG
OPEN="22,80,443,5000,31337"
LISTENER_PID=

cleanup() {
  [ -n "$LISTENER_PID" ] && kill "$LISTENER_PID" 2>/dev/null || true
  ip netns del "$SCANNER" 2>/dev/null || true
  ip netns del "$TARGET" 2>/dev/null || true
}
trap cleanup EXIT

ip netns add "$SCANNER"
ip netns add "$TARGET"
ip -n "$SCANNER" link set lo up
ip -n "$TARGET" link set lo up
ip link add bs$TAG type veth peer name bt$TAG
ip link set bs$TAG netns "$SCANNER"
ip link set bt$TAG netns "$TARGET"
ip -n "$SCANNER" addr add 10.78.0.1/24 dev bs$TAG
ip -n "$TARGET" addr add 10.78.0.2/24 dev bt$TAG
ip -n "$SCANNER" link set bs$TAG up
ip -n "$TARGET" link set bt$TAG up
ip netns exec "$TARGET" python3 "$HERE/listeners.py" --tcp "$OPEN" > /tmp/ntbench-listeners.$TAG &
LISTENER_PID=$!
for _ in $(seq 50); do grep -q ready /tmp/ntbench-listeners.$TAG 2>/dev/null && break; sleep 0.1; done
rm -f /tmp/ntbench-listeners.$TAG

# once NS CMD... → "wall cpu openset" of one run
once() {
  local ns=$1; shift
  local out tfile wall user sys
  tfile=$(mktemp)
  out=$( { /usr/bin/time -f "%e %U %S" -o "$tfile" ip netns exec "$ns" "$@"; } 2>/dev/null )
  # /usr/bin/time puts "Command exited with non-zero status N" first when the command fails.
  read -r wall user sys < <(tail -n 1 "$tfile")
  grep -q "non-zero status" "$tfile" && echo "note: $* exited non-zero" >&2
  rm -f "$tfile"
  echo "$wall $(echo "$user + $sys" | bc) $(echo "$out" | grep -oE '^[0-9]+/tcp +open|:[0-9]+$' | grep -oE '[0-9]+' | sort -n | paste -sd, -)"
}

printf '%-28s %-9s %-9s %s\n' "run (best of $ROUNDS)" "wall s" "cpu s" "open ports"
# compare LABEL NS "OURS" "THEIRS": ROUNDS pairs, the two tools back to back in each (this VM's
# CPUs change speed for minutes at a time); best wall of each, and the median of the pairs' ratios.
compare() {
  local label=$1 ns=$2 ours=$3 theirs=$4
  local best1="" best2="" ratios=() r1 r2 w1 w2
  for _ in $(seq "$ROUNDS"); do
    r1=$(once "$ns" $ours); r2=$(once "$ns" $theirs)
    w1=${r1%% *}; w2=${r2%% *}
    ratios+=("$(echo "scale=2; $w2 / $w1" | bc)")
    if [ -z "$best1" ] || (( $(echo "$w1 < ${best1%% *}" | bc) )); then best1=$r1; fi
    if [ -z "$best2" ] || (( $(echo "$w2 < ${best2%% *}" | bc) )); then best2=$r2; fi
  done
  read -r w1 c1 s1 <<< "$best1"
  read -r w2 c2 s2 <<< "$best2"
  local median
  median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')
  printf '%-28s %-9s %-9s %s\n' "nettool $label" "$w1" "$c1" "$s1"
  printf '%-28s %-9s %-9s %s\n' "nmap $label" "$w2" "$c2" "$s2"
  printf '%-28s %sx faster (median of pairs: %s), best %sx; %sx less CPU; open sets %s\n' "  ratio" \
    "$median" "${ratios[*]}" "$(echo "scale=2; $w2 / $w1" | bc)" "$(echo "scale=2; $c2 / ($c1 + 0.001)" | bc)" \
    "$([ "$s1" = "$s2" ] && echo identical || echo DIFFER)"
}

for where in loopback veth; do
  if [ $where = loopback ]; then ns=$TARGET host=127.0.0.1; else ns=$SCANNER host=10.78.0.2; fi
  compare "connect $where" "$ns" "$NETTOOL portscan $host -p - --connect --format list" \
    "nmap -n -Pn -p- -T5 -sT $host"
  compare "syn $where" "$ns" "$NETTOOL portscan $host -p - --syn --format list" \
    "nmap -n -Pn -p- -T5 -sS $host"
done
