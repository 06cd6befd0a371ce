#!/usr/bin/env bash
# fd-pass benchmark: descriptors passed per second, nettool fd-pass send -> recv side by side with a
# python3 socket.send_fds / recv_fds pair doing the same transfer (COUNT descriptors of /dev/null,
# opened by the sender, in messages of at most 253 = SCM_MAX_FD, received and closed), ROUNDS times
# each, process start-up included on both sides (each round is a new sender and receiver). Prints
# both rates, by wall clock and per CPU second (user+sys of sender and receiver: steadier on a loaded
# machine), and the ratios nettool / python (above 1: nettool passes more per second). Unix sockets in a temporary directory only.
#
#   tests/bench/fd-pass.sh [NETTOOL]     env: COUNT=1000 ROUNDS=20
set -euo pipefail

NETTOOL=$(realpath "${1:-${NETTOOL:-build/nettool}}")
COUNT=${COUNT:-1000}
ROUNDS=${ROUNDS:-20}
command -v python3 >/dev/null || { echo "missing python3" >&2; exit 3; }
ulimit -n "$(ulimit -Hn)"

WORK=$(mktemp -d)
recv_pid=""
cleanup() {
  [[ -n $recv_pid ]] && kill "$recv_pid" 2>/dev/null && wait "$recv_pid" 2>/dev/null
  rm -rf "$WORK"
  true
}
trap cleanup EXIT

cat >"$WORK/peer.py" <<'PY'
import os, socket, sys, time
role, path, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
if role == "recv":
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(1)
    open(path + ".ready", "w").close()
    conn, _ = srv.accept()
    got = 0
    while got < count:
        data, fds, flags, _ = socket.recv_fds(conn, 65536, 253)
        if not data and not fds:
            break
        for fd in fds:
            os.fstat(fd)  # look at each, as nettool describes each
            os.close(fd)
        got += len(fds)
    conn.close()
    os.unlink(path)
    sys.exit(0 if got == count else 1)
else:
    fds = [os.open("/dev/null", os.O_RDONLY | os.O_CLOEXEC) for _ in range(count)]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    for i in range(0, count, 253):
        chunk = fds[i:i + 253]
        socket.send_fds(s, [b":".join([b"file"] * len(chunk))], chunk)
    s.close()
PY

wait_for_socket() {  # $1 path: the receiver is ready when its socket file exists
  for _ in $(seq 1 500); do [[ -S $1 ]] && return 0; sleep 0.01; done
  echo "receiver never listened on $1" >&2
  exit 3
}

opens=()
for _ in $(seq 1 "$COUNT"); do opens+=(--open /dev/null); done

nettool_round() {
  local sock=$WORK/nt.sock
  "$NETTOOL" fd-pass recv --socket "$sock" -q --max-fds "$COUNT" >/dev/null &
  recv_pid=$!
  wait_for_socket "$sock"
  "$NETTOOL" fd-pass send --socket "$sock" -q "${opens[@]}" >/dev/null
  wait "$recv_pid"
  recv_pid=""
}

python_round() {
  local sock=$WORK/py.sock
  python3 "$WORK/peer.py" recv "$sock" "$COUNT" &
  recv_pid=$!
  wait_for_socket "$sock"
  python3 "$WORK/peer.py" send "$sock" "$COUNT"
  wait "$recv_pid"
  recv_pid=""
}

timed() {  # $1 function: "wall_s cpu_s" for ROUNDS rounds (cpu: user+sys of both processes)
  local TIMEFORMAT="%R %U %S" times
  times=$( { time (for _ in $(seq 1 "$ROUNDS"); do "$1"; done) >/dev/null; } 2>&1 | tail -1)
  read -r wall user sys <<<"$times"
  echo "$wall $(echo "$user + $sys" | bc -l)"
}

echo "fd-pass: $ROUNDS rounds of $COUNT descriptors (a new sender and receiver each round)"
read -r nt_wall nt_cpu <<<"$(timed nettool_round)"
read -r py_wall py_cpu <<<"$(timed python_round)"
total=$((COUNT * ROUNDS))
rate() { echo "$total / $1" | bc -l; }
printf "%-28s %10.0f descriptors/s wall (%.3f s), %10.0f per CPU second (%.3f s)\n" "nettool send -> recv" \
  "$(rate "$nt_wall")" "$nt_wall" "$(rate "$nt_cpu")" "$nt_cpu"
printf "%-28s %10.0f descriptors/s wall (%.3f s), %10.0f per CPU second (%.3f s)\n" "python3 send_fds/recv_fds" \
  "$(rate "$py_wall")" "$py_wall" "$(rate "$py_cpu")" "$py_cpu"
printf "ratio nettool/python: %.2f (wall), %.2f (CPU)\n" "$(echo "$py_wall / $nt_wall" | bc -l)" \
  "$(echo "$py_cpu / $nt_cpu" | bc -l)"
