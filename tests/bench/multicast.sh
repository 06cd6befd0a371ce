#!/usr/bin/env bash
# multicast benchmark, side by side in one run, over a veth pair between two network namespaces this
# script creates (10.78.0.0/24, deleted at exit; no other address is used):
#   receiver  the same flood of 64-byte datagrams (nettool multicast send --rate 0) to a group, received
#             by `nettool multicast recv` and by `socat -u UDP4-RECV:…,ip-add-membership=… OPEN:/dev/null`:
#             datagrams/s delivered to the socket (/proc/net/snmp Udp InDatagrams), dropped for a full
#             receive buffer (RcvbufErrors), and for nettool the datagrams it counted (uncounted = 0).
#   sender    `nettool multicast send --rate 0 --size 64` against `iperf -u -b 100G -l 64` (iperf 2):
#             datagrams/s that left (Udp OutDatagrams in the sender's namespace) and SndbufErrors.
# Sender pinned to the last CPU, receiver to CPU 0. Every process is stopped by PID.
# Usage (root): tests/bench/multicast.sh [NETTOOL] [SECONDS]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NETTOOL=$(realpath "${1:-${NETTOOL:-build/nettool}}")
SECS=${2:-4}
TAG=$$
NS_S=ntbs$TAG NS_R=ntbr$TAG
GROUP=239.78.0.1
PIDS=()
cleanup() {
  stop_pids
  ip netns del "$NS_S" 2>/dev/null || true
  ip netns del "$NS_R" 2>/dev/null || true
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces)" >&2; exit 3; }
[ -x "$NETTOOL" ] || { echo "nettool binary not found: $NETTOOL" >&2; exit 3; }
command -v socat >/dev/null || { echo "socat not installed" >&2; exit 3; }
HAVE_IPERF=0
case "$(iperf -v 2>&1 || true)" in *"iperf version 2"*) HAVE_IPERF=1 ;; esac

NCPU=$(nproc)
RECV_CPU=0
SEND_CPU=$((NCPU > 1 ? NCPU - 1 : 0))

ip netns add "$NS_S"
ip netns add "$NS_R"
ip link add "mcs$TAG" type veth peer name "mcr$TAG"
ip link set "mcs$TAG" netns "$NS_S"
ip link set "mcr$TAG" netns "$NS_R"
ip -n "$NS_S" link set "mcs$TAG" name v0
ip -n "$NS_R" link set "mcr$TAG" name v0
for ns in "$NS_S" "$NS_R"; do
  ip -n "$ns" link set lo up
  ip -n "$ns" link set v0 up
  ip -n "$ns" route add 224.0.0.0/4 dev v0 2>/dev/null || true
done
ip -n "$NS_S" addr add 10.78.0.1/24 dev v0
ip -n "$NS_R" addr add 10.78.0.2/24 dev v0
ip -n "$NS_S" route replace 224.0.0.0/4 dev v0
ip -n "$NS_R" route replace 224.0.0.0/4 dev v0

# udp_counter NS FIELD: a field of the Udp line of /proc/net/snmp in that namespace.
udp_counter() {
  ip netns exec "$1" awk -v f="$2" '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) k[i] = $i; h = 1 } else {
    for (i = 1; i <= NF; i++) if (k[i] == f) print $i } }' /proc/net/snmp
}

flood() {  # flood PORT: nettool floods the group for SECS seconds
  ip netns exec "$NS_S" taskset -c "$SEND_CPU" "$NETTOOL" multicast send "$GROUP:$1" --rate 0 --size 64 \
    --duration "$SECS" --interval 0 -q >/dev/null
}

joined() { for _ in $(seq 50); do ip -n "$NS_R" maddr show dev v0 | grep -q "$GROUP" && return 0; sleep 0.1; done; return 1; }

# receiver NAME PORT CMD…: runs the receiver, floods, reports "name delivered/s rcvbuf_errors counted"
receiver() {
  local name=$1 port=$2
  shift 2
  local in0 err0 in1 err1
  ip netns exec "$NS_R" taskset -c "$RECV_CPU" "$@" >"/tmp/ntbench-mc-$TAG-$name" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  joined || { echo "$name did not join" >&2; exit 3; }
  in0=$(udp_counter "$NS_R" InDatagrams)
  err0=$(udp_counter "$NS_R" RcvbufErrors)
  flood "$port"
  sleep 1  # let the receiver drain its queue
  in1=$(udp_counter "$NS_R" InDatagrams)
  err1=$(udp_counter "$NS_R" RcvbufErrors)
  kill -INT "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  local counted=-
  if [ "$name" = nettool ]; then
    counted=$(python3 -c 'import json,sys; print(sum(r["received"] for r in map(json.loads, open(sys.argv[1])) if r["type"]=="summary"))' "/tmp/ntbench-mc-$TAG-$name")
  fi
  rm -f "/tmp/ntbench-mc-$TAG-$name"
  echo "$name $(((in1 - in0) / SECS)) $((err1 - err0)) $((in1 - in0)) $counted"
}

read -r _ NT_RATE NT_ERR NT_IN NT_COUNTED < <(receiver nettool 5300 "$NETTOOL" multicast recv "$GROUP:5300" --interval 0 --jsonl)
read -r _ SO_RATE SO_ERR SO_IN _ < <(receiver socat 5301 socat -u "UDP4-RECV:5301,ip-add-membership=$GROUP:10.78.0.2,reuseaddr" OPEN:/dev/null)

echo "receiver, 64-byte datagrams, ${SECS} s flood over veth:"
printf '  %-8s %14s %14s %14s %14s\n' receiver delivered/s delivered rcvbuf_errors counted
printf '  %-8s %14s %14s %14s %14s\n' nettool "$NT_RATE" "$NT_IN" "$NT_ERR" "$NT_COUNTED"
printf '  %-8s %14s %14s %14s %14s\n' socat "$SO_RATE" "$SO_IN" "$SO_ERR" -
python3 -c "import sys; n,s=map(float,sys.argv[1:3]); print(f'  ratio nettool/socat = {n/s:.2f}x; nettool uncounted = {int(sys.argv[3]) - int(sys.argv[4])}')" \
  "$NT_RATE" "$SO_RATE" "$NT_IN" "$NT_COUNTED"

# sender SENDER-CMD…: datagrams/s that left the sender's namespace
sender() {
  local out0 err0 out1 err1 t0 t1
  out0=$(udp_counter "$NS_S" OutDatagrams)
  err0=$(udp_counter "$NS_S" SndbufErrors)
  t0=$(date +%s.%N)
  ip netns exec "$NS_S" taskset -c "$SEND_CPU" "$@" >/dev/null 2>&1
  t1=$(date +%s.%N)
  out1=$(udp_counter "$NS_S" OutDatagrams)
  err1=$(udp_counter "$NS_S" SndbufErrors)
  python3 -c "import sys; o,e,t=int(sys.argv[1]),int(sys.argv[2]),float(sys.argv[4])-float(sys.argv[3]); print(int(o/t), e)" \
    "$((out1 - out0))" "$((err1 - err0))" "$t0" "$t1"
}

echo "sender, 64-byte datagrams, ${SECS} s:"
read -r NS_PPS NS_ERR < <(sender "$NETTOOL" multicast send "$GROUP:5302" --rate 0 --size 64 --duration "$SECS" --interval 0 -q)
printf '  %-8s %14s %14s\n' sender sent/s sndbuf_errors
printf '  %-8s %14s %14s\n' nettool "$NS_PPS" "$NS_ERR"
if [ "$HAVE_IPERF" = 1 ]; then
  # iperf 2.1.8 refuses -b 0 ("IPG delay target of inf secs"): 100G is unlimited in effect.
  read -r IP_PPS IP_ERR < <(sender iperf -c "$GROUP" -p 5302 -u -b 100G -l 64 -T 1 -t "$SECS")
  printf '  %-8s %14s %14s\n' iperf "$IP_PPS" "$IP_ERR"
  python3 -c "import sys; n,i=map(float,sys.argv[1:3]); print(f'  ratio nettool/iperf = {n/i:.2f}x')" "$NS_PPS" "$IP_PPS"
else
  echo "  iperf (2.x) not installed: no sender comparison"
fi
