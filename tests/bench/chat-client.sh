#!/usr/bin/env bash
# chat-client benchmark, side by side with ncat as the client, both through one `ncat --broker` relay
# (loopback): how fast each turns N stdin lines into lines another client (a python3 socket) receives (send), and how
# fast each takes N lines from the relay (receive: chat-client parses every line into a jsonl record,
# ncat only copies bytes — the ratio is the price of the parsing and the records).
#
#   tests/bench/chat-client.sh [NETTOOL]     env: LINES=200000
set -euo pipefail

NETTOOL=$(realpath "${1:-${NETTOOL:-build/nettool}}")
LINES=${LINES:-200000}
for tool in ncat python3 timeout; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 3; }
done

WORK=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ncat --broker --listen 127.0.0.1 "$PORT" >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 50); do (echo >/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break; sleep 0.1; done

seq -f 'line %g of the benchmark' "$LINES" >"$WORK/text"
sed 's/.*/{"type":"message","text":"&"}/' "$WORK/text" >"$WORK/json"

now() { date +%s.%N; }

# Receiver: a plain socket that leaves after LINES message lines and prints the seconds from start to
# the last. (ncat piped into `grep -m` stayed until its timeout: nothing more came to write into the
# closed pipe, so no SIGPIPE ended it.)
receive_lines() {
  python3 - "$PORT" "$LINES" "$1" <<'PY'
import socket, sys, time
port, lines, start = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
s = socket.create_connection(("127.0.0.1", port))
s.settimeout(120)
seen, tail = 0, b""
while seen < lines:
    chunk = s.recv(1 << 20)
    if not chunk:
        break
    whole, _, tail = (tail + chunk).rpartition(b"\n")
    seen += whole.count(b'"message"')
print(f"{time.time() - start:.3f}")
PY
}

send_case() {  # $1: label, rest: the sender command (reads $2's file on stdin)
  local label=$1 input=$2
  shift 2
  local start
  start=$(now)
  receive_lines "$start" >"$WORK/elapsed" &
  local receiver=$!
  sleep 0.3
  "$@" <"$input" >/dev/null 2>&1 &
  local sender=$!
  wait "$receiver" || true
  kill "$sender" 2>/dev/null || true
  wait "$sender" 2>/dev/null || true
  python3 -c "import sys; e=float(sys.argv[1]) - 0.3; print(f'{sys.argv[2]:<12} {e:7.3f} s  {int(sys.argv[3]) / e:10.0f} lines/s')" \
    "$(cat "$WORK/elapsed")" "$label" "$LINES" | tee -a "$WORK/send"
}

echo "send: $LINES stdin lines to a receiver through ncat --broker"
send_case nettool "$WORK/text" "$NETTOOL" chat-client "127.0.0.1:$PORT" --name bench --stay --jsonl
send_case ncat "$WORK/json" timeout 120 ncat 127.0.0.1 "$PORT"

echo "receive: $LINES lines from the relay, parsed (nettool --jsonl) or copied (ncat)"
receive_case() {
  local label=$1
  shift
  "$@" >"$WORK/recv-$label" 2>/dev/null &
  local receiver=$!
  sleep 0.5
  local start
  start=$(now)
  timeout 120 ncat --send-only 127.0.0.1 "$PORT" <"$WORK/json" >/dev/null 2>&1
  for _ in $(seq 1200); do
    [[ $(grep -c '"message"' "$WORK/recv-$label") -ge $LINES ]] && break
    sleep 0.1
  done
  local end
  end=$(now)
  kill "$receiver" 2>/dev/null || true
  wait "$receiver" 2>/dev/null || true
  python3 -c "import sys; e=float(sys.argv[2])-float(sys.argv[1]); print(f'{sys.argv[3]:<12} {e:7.3f} s  {int(sys.argv[4]) / e:10.0f} lines/s')" \
    "$start" "$end" "$label" "$LINES" | tee -a "$WORK/recv"
}
receive_case nettool "$NETTOOL" chat-client "127.0.0.1:$PORT" --name sink --jsonl --stay
receive_case ncat ncat --recv-only 127.0.0.1 "$PORT"

ratio() { python3 -c "import sys; a=[float(l.split()[1]) for l in open(sys.argv[1])]; print(f'{a[1] / a[0]:.2f}')" "$1"; }
echo "ratio nettool/ncat (throughput): send $(ratio "$WORK/send"), receive $(ratio "$WORK/recv")"
