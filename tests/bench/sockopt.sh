#!/usr/bin/env bash
# sockopt inspect benchmark: reading every socket of one process that holds ~1,000 TCP sockets
# (tests/integration/sockopt/holder.py --many N: N connected pairs through one listener on
# loopback), side by side with the peers people use for it:
#   ss -tnoi                          (netlink sock_diag: TCP_INFO of every TCP socket, no options)
#   python3 getsockopt loop           (pidfd_getfd + getsockopt of every option number, in Python)
#   nettool sockopt inspect --pid P   (pidfd_getfd + every table option decoded + TCP_INFO, --jsonl)
# Each runs RUNS times; the best wall time counts. Prints times and nettool's ratio to each peer.
#
#   tests/bench/sockopt.sh [NETTOOL]     env: PAIRS=500 RUNS=5
set -euo pipefail

NETTOOL=$(realpath "${1:-${NETTOOL:-build/nettool}}")
PAIRS=${PAIRS:-500}
RUNS=${RUNS:-5}
HERE=$(dirname "$(realpath "$0")")
HOLDER=$HERE/../integration/sockopt/holder.py
READER=$HERE/sockopt_python_reader.py

for tool in ss python3 jq; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 3; }
done
PYTHON=$(python3 -c 'import sys; print(sys.executable)')  # the interpreter itself, not a pyenv shim
ulimit -n "$(ulimit -Hn)"

WORK=$(mktemp -d)
holder_pid=""
cleanup() {
  exec 3>&- 2>/dev/null || true
  [[ -n $holder_pid ]] && kill "$holder_pid" 2>/dev/null && wait "$holder_pid" 2>/dev/null
  rm -rf "$WORK"
  true
}
trap cleanup EXIT

mkfifo "$WORK/in"
"$PYTHON" "$HOLDER" --many "$PAIRS" <"$WORK/in" >"$WORK/holder.json" &
holder_pid=$!
exec 3>"$WORK/in"  # the holder runs until this closes
for _ in $(seq 200); do [[ -s $WORK/holder.json ]] && break; sleep 0.05; done
[[ -s $WORK/holder.json ]] || { echo "holder did not start" >&2; exit 3; }
sockets=$(find "/proc/$holder_pid/fd" -lname 'socket:*' | wc -l)

# best_of NAME CMD...: "WALL_NS CPU_NS", the best of RUNS runs each (CPU: user+system of the command,
# from wait4's rusage: on a loaded machine wall time also counts waiting for a core); stdout of the
# last run in $WORK/NAME.out.
best_of() {
  local name=$1
  shift
  "$PYTHON" - "$RUNS" "$WORK/$name.out" "$@" <<'PY'
import os, subprocess, sys, time
runs, out, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
best_wall = best_cpu = None
for _ in range(runs):
    with open(out, "wb") as f:
        start = time.monotonic_ns()
        p = subprocess.Popen(cmd, stdout=f)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.monotonic_ns() - start
    assert os.waitstatus_to_exitcode(status) == 0, cmd
    cpu = int((usage.ru_utime + usage.ru_stime) * 1e9)
    best_wall = wall if best_wall is None else min(best_wall, wall)
    best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
print(best_wall, best_cpu)
PY
}

read -r w_nettool c_nettool < <(best_of nettool "$NETTOOL" sockopt inspect --pid "$holder_pid" --jsonl)
read -r w_ss c_ss < <(best_of ss ss -tnoi)
read -r w_python c_python < <(best_of python "$PYTHON" "$READER" "$holder_pid")

inspected=$(jq -s '[.[] | select(.type=="socket")] | length' "$WORK/nettool.out")
options=$(jq -s '[.[] | select(.type=="summary")][0].options_read' "$WORK/nettool.out")
ss_sockets=$(grep -c '^ESTAB\|^LISTEN' "$WORK/ss.out" || true)
read -r py_sockets py_reads <"$WORK/python.out"

ms() { awk -v ns="$1" 'BEGIN { printf "%.1f", ns / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "process $holder_pid holds $sockets sockets (best of $RUNS runs; load average $(cut -d' ' -f1 /proc/loadavg))"
printf '%-32s %9s %9s  %s\n' "" "wall ms" "cpu ms" ""
printf '%-32s %9s %9s  %s\n' "nettool sockopt inspect --pid" "$(ms "$w_nettool")" "$(ms "$c_nettool")" \
  "$inspected sockets, $options options decoded, $(wc -c <"$WORK/nettool.out") bytes of jsonl"
printf '%-32s %9s %9s  %s\n' "ss -tnoi" "$(ms "$w_ss")" "$(ms "$c_ss")" "$ss_sockets TCP sockets (system-wide), TCP_INFO only"
printf '%-32s %9s %9s  %s\n' "python3 getsockopt loop" "$(ms "$w_python")" "$(ms "$c_python")" \
  "$py_sockets sockets, $py_reads raw reads, nothing decoded"
echo "ratio nettool/ss: wall $(ratio "$w_nettool" "$w_ss"), cpu $(ratio "$c_nettool" "$c_ss");" \
  "nettool/python3: wall $(ratio "$w_nettool" "$w_python"), cpu $(ratio "$c_nettool" "$c_python")  (below 1: nettool faster)"
