#!/usr/bin/env bash
# nettool ping vs iputils ping and fping, side by side in one run (not run by CI; needs root).
#  1. flood: ping -f -c N 127.0.0.1 vs nettool ping -f -c N 127.0.0.1 — echoes/s, CPU, average RTT
#  2. many hosts: fping -c 10 -p 10 vs nettool ping -c 10 -i 0.01 over the same 1,000 loopback hosts
#  3. loss: 1,000 probes 2 ms apart through a namespace pair dropping 30% (nft), wall time and loss
#     against nft's own drop counter.
# Traffic goes only to 127.0.0.0/8 and to namespaces created (and deleted) here.
set -euo pipefail
NETTOOL=${NETTOOL:-build/nettool}
FLOOD_COUNT=${FLOOD_COUNT:-100000}
FLOOD_ROUNDS=${FLOOD_ROUNDS:-5}
HOSTS=${HOSTS:-1000}
[[ $(id -u) == 0 ]] || { echo "run as root (flood, namespaces)" >&2; exit 1; }
for t in ping fping nft ip jq python3; do command -v "$t" >/dev/null || { echo "missing $t" >&2; exit 1; }; done
TMP=$(mktemp -d)
NS_A=ntbench_a$$ NS_B=ntbench_b$$
cleanup() { ip netns del "$NS_A" 2>/dev/null || true; ip netns del "$NS_B" 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

# run LABEL CMD…: wall seconds and user+sys CPU seconds of CMD into $TMP/LABEL.time, output to $TMP/LABEL.out
run() {
  local label=$1; shift
  local TIMEFORMAT="%R %U %S"
  { time "$@" >"$TMP/$label.out" 2>"$TMP/$label.err" || true; } 2>"$TMP/$label.time"
}
wall() { awk '{print $1}' "$TMP/$1.time"; }
# keep_best LABEL: of the runs LABEL_*, the one with the lowest wall time becomes LABEL.
keep_best() {
  local best="" r
  for r in $(cd "$TMP" && ls "$1"_*.time | sed "s/^$1_//; s/\.time$//"); do
    if [[ -z $best ]] || awk -v a="$(wall "$1_$r")" -v b="$(wall "$best")" 'BEGIN { exit !(a < b) }'; then best=$1_$r; fi
  done
  for ext in time out err; do cp "$TMP/$best.$ext" "$TMP/$1.$ext"; done
}
cpu() { awk '{printf "%.2f", $2 + $3}' "$TMP/$1.time"; }
ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'{a/b:.2f}' if b else 'inf')" "$1" "$2"; }

echo "== 1. flood, $FLOOD_COUNT echoes to 127.0.0.1 ($FLOOD_ROUNDS rounds, each CPU, tools back to back)"
# This VM's CPUs change speed by up to 40% for minutes at a time, one CPU at a time (a busy host
# sibling). So each pair of runs is pinned to one CPU and run back to back, and the verdict is the
# median of the pairs' ratios; the best run of each tool gives the echoes/s shown.
CPUS=$(nproc)
pairs=() uring_pairs=()
for round in $(seq "$FLOOD_ROUNDS"); do
  for cpu in $(seq 0 $((CPUS - 1))); do
    r=${round}_$cpu
    run iputils_flood_$r taskset -c "$cpu" ping -q -f -c "$FLOOD_COUNT" 127.0.0.1
    run nettool_flood_$r taskset -c "$cpu" "$NETTOOL" ping -q -f -c "$FLOOD_COUNT" 127.0.0.1
    pairs+=("$(python3 -c "print(f'{$(wall iputils_flood_$r) / $(wall nettool_flood_$r):.2f}')")")
    # The same flood with the opt-in io_uring send+receive: which path is faster depends on the
    # kernel, so each run shows both.
    run nettool_uring_$r env NETTOOL_PING_IO_URING=1 taskset -c "$cpu" "$NETTOOL" ping -q -f -c "$FLOOD_COUNT" 127.0.0.1
    uring_pairs+=("$(python3 -c "print(f'{$(wall iputils_flood_$r) / $(wall nettool_uring_$r):.2f}')")")
  done
done
pair_ratio=$(printf '%s\n' "${pairs[@]}" | python3 -c "import sys, statistics; print(f'{statistics.median(float(x) for x in sys.stdin):.2f}')")
keep_best iputils_flood; keep_best nettool_flood
run nettool_flood_jsonl "$NETTOOL" ping -f -c "$FLOOD_COUNT" --jsonl 127.0.0.1
ip_rate=$(python3 -c "print(round($FLOOD_COUNT / $(wall iputils_flood)))")
nt_rate=$(python3 -c "print(round($FLOOD_COUNT / $(wall nettool_flood)))")
ip_avg=$(grep -oP 'rtt min/avg/max/mdev = [0-9.]+/\K[0-9.]+' "$TMP/iputils_flood.out")
nt_avg=$(grep -oP 'rtt min/avg/max/mdev = [0-9.]+/\K[0-9.]+' "$TMP/nettool_flood.out")
nt_rx=$(grep -oP '[0-9]+(?= received)' "$TMP/nettool_flood.out")
nt_jsonl_rate=$(python3 -c "print(round($FLOOD_COUNT / $(wall nettool_flood_jsonl)))")
printf "  iputils ping -f : %8s echoes/s  wall %6ss  cpu %6ss  avg rtt %s ms\n" "$ip_rate" "$(wall iputils_flood)" "$(cpu iputils_flood)" "$ip_avg"
printf "  nettool ping -f : %8s echoes/s  wall %6ss  cpu %6ss  avg rtt %s ms  (%s received)\n" "$nt_rate" "$(wall nettool_flood)" "$(cpu nettool_flood)" "$nt_avg" "$nt_rx"
printf "  nettool --jsonl: %8s echoes/s  wall %6ss  cpu %6ss  (one reply record per echo)\n" "$nt_jsonl_rate" "$(wall nettool_flood_jsonl)" "$(cpu nettool_flood_jsonl)"
echo "  rate ratio nettool/iputils: $pair_ratio (median of ${#pairs[@]} same-CPU pairs: ${pairs[*]})   (target >= 1)"
uring_ratio=$(printf '%s\n' "${uring_pairs[@]}" | python3 -c "import sys, statistics; print(f'{statistics.median(float(x) for x in sys.stdin):.2f}')")
echo "  with NETTOOL_PING_IO_URING=1 (send+receive in one io_uring_enter): rate ratio $uring_ratio (pairs: ${uring_pairs[*]})"
echo "  best-run rate ratio:        $(ratio "$nt_rate" "$ip_rate")"
echo "  cpu ratio nettool/iputils:  $(ratio "$(cpu nettool_flood)" "$(cpu iputils_flood)")"
echo "  avg rtt difference: $(python3 -c "print(f'{abs($nt_avg - $ip_avg) * 1000:.1f}')") us   (target <= 10 us)"

echo "== 2. $HOSTS loopback hosts, 10 probes each, 10 ms apart"
python3 -c "
for i in range($HOSTS): print(f'127.9.{i // 250}.{1 + i % 250}')" >"$TMP/hosts.txt"
# fping: -p is the per-host period, but its global -i (default 10 ms between any two probes) paces
# everything: 10,000 probes would take 100 s. So fping gets -i 0 (root only; the fastest it can go) and,
# for reference, -i 1 (the minimum for other users). -t 500 keeps late replies from counting as lost.
run fping_many fping -q -c 10 -p 10 -i 0 -t 500 -f "$TMP/hosts.txt"
run fping_many_i1 fping -q -c 10 -p 10 -i 1 -t 500 -f "$TMP/hosts.txt"
run nettool_many "$NETTOOL" ping -q -c 10 -i 0.01 --file "$TMP/hosts.txt"
fp_ok=$(grep -c ' = 10/10/0%' "$TMP/fping_many.err" || true)
fp1_ok=$(grep -c ' = 10/10/0%' "$TMP/fping_many_i1.err" || true)
nt_ok=$(grep -c ' = 10/10/0%' "$TMP/nettool_many.out" || true)
printf "  fping -i 0 : wall %6ss  cpu %6ss  hosts 10/10 answered: %s\n" "$(wall fping_many)" "$(cpu fping_many)" "$fp_ok"
printf "  fping -i 1 : wall %6ss  cpu %6ss  hosts 10/10 answered: %s\n" "$(wall fping_many_i1)" "$(cpu fping_many_i1)" "$fp1_ok"
printf "  nettool    : wall %6ss  cpu %6ss  hosts 10/10 answered: %s\n" "$(wall nettool_many)" "$(cpu nettool_many)" "$nt_ok"
echo "  wall ratio nettool/fping -i 0: $(ratio "$(wall nettool_many)" "$(wall fping_many)")   (target <= 0.5)"
echo "  wall ratio nettool/fping -i 1: $(ratio "$(wall nettool_many)" "$(wall fping_many_i1)")"
echo "  cpu ratio nettool/fping -i 0:  $(ratio "$(cpu nettool_many)" "$(cpu fping_many)")"

echo "== 3. 1000 probes 2 ms apart, 30% of echo requests dropped by nft"
ip netns add "$NS_A"; ip netns add "$NS_B"
ip link add ntbv$$a type veth peer name ntbv$$b
ip link set ntbv$$a netns "$NS_A"; ip link set ntbv$$b netns "$NS_B"
ip -n "$NS_A" addr add 10.209.0.1/24 dev ntbv$$a; ip -n "$NS_B" addr add 10.209.0.2/24 dev ntbv$$b
for ns in "$NS_A" "$NS_B"; do ip -n "$ns" link set lo up; done
ip -n "$NS_A" link set ntbv$$a up; ip -n "$NS_B" link set ntbv$$b up
ip netns exec "$NS_B" nft add table ip loss
ip netns exec "$NS_B" nft 'add chain ip loss input { type filter hook input priority 0; }'
ip netns exec "$NS_B" nft add rule ip loss input icmp type echo-request numgen random mod 100 '<' 30 counter drop
ip netns exec "$NS_A" ping -c 1 -W 1 10.209.0.2 >/dev/null || true  # resolve ARP first
counter() { ip netns exec "$NS_B" nft list chain ip loss input | grep -oP 'counter packets \K[0-9]+'; }
# The rule's counter only grows: each tool's drops are the difference across its run.
c0=$(counter)
run iputils_loss ip netns exec "$NS_A" ping -q -c 1000 -i 0.002 -W 1 10.209.0.2
c1=$(counter)
run fping_loss ip netns exec "$NS_A" fping -q -c 1000 -p 2 -t 500 10.209.0.2
c2=$(counter)
run nettool_loss ip netns exec "$NS_A" "$NETTOOL" ping -q -c 1000 -i 0.002 -W 0.5 --json 10.209.0.2
c3=$(counter)
ip_drop=$((c1 - c0)) fp_drop=$((c2 - c1)) nt_drop=$((c3 - c2))
ip_loss=$(grep -oP '[0-9.]+(?=% packet loss)' "$TMP/iputils_loss.out" || echo "?")
fp_loss=$(grep -oP '/\K[0-9.]+(?=%)' "$TMP/fping_loss.err" | head -1 || echo "?")
nt_loss=$(jq '.records[] | select(.type == "summary") | .loss_percent' "$TMP/nettool_loss.out")
printf "  iputils ping : wall %6ss  loss %s%%  (nft dropped %s = %s%%)\n" "$(wall iputils_loss)" "$ip_loss" "$ip_drop" "$(python3 -c "print($ip_drop/10)")"
printf "  fping        : wall %6ss  loss %s%%  (nft dropped %s = %s%%)\n" "$(wall fping_loss)" "$fp_loss" "$fp_drop" "$(python3 -c "print($fp_drop/10)")"
printf "  nettool ping : wall %6ss  loss %s%%  (nft dropped %s = %s%%)\n" "$(wall nettool_loss)" "$nt_loss" "$nt_drop" "$(python3 -c "print($nt_drop/10)")"
echo "  wall ratio nettool/fping: $(ratio "$(wall nettool_loss)" "$(wall fping_loss)")   (target <= 1)"
echo "  wall ratio nettool/iputils: $(ratio "$(wall nettool_loss)" "$(wall iputils_loss)")"
