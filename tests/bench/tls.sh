#!/usr/bin/env bash
# TLS benchmark, side by side on loopback (certificates made here: EC P-256, TLS 1.3 everywhere):
#  1. handshakes/s: the nettool TLS echo server vs `openssl s_server`, both measured by the same client
#     (`openssl s_time -new`: a full handshake per connection, no resumption);
#  2. bulk verified echo: nettool client --tls --bulk against the nettool server and against socat
#     OPENSSL-LISTEN PIPE (same cipher: the default TLS_AES_256_GCM_SHA384);
#  3. 100-connection ping-pong over TLS, nettool server vs socat, with server CPU per round trip.
# Server and client are pinned to different cores. Prints each figure and the ratio nettool/peer.
#
#   tests/bench/tls.sh [NETTOOL]     env: SECONDS_EACH=5 BULK=1G CONNECTIONS=100 SERVER_CPU=0 CLIENT_CPU=1
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NETTOOL=$(realpath "${1:-${NETTOOL:-build/nettool}}")
SECONDS_EACH=${SECONDS_EACH:-5}
BULK=${BULK:-1G}
CONNECTIONS=${CONNECTIONS:-100}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}

for tool in openssl socat jq taskset python3 bc; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 3; }
done

dir=$(mktemp -d)
server_pid=""
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$dir/ca.key" -out "$dir/ca.pem" \
  -days 2 -subj /CN=bench-ca -addext basicConstraints=critical,CA:TRUE 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$dir/server.key" -out "$dir/server.csr" \
  -subj /CN=localhost 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$dir/ext"
openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 2 \
  -extfile "$dir/ext" -out "$dir/server.pem" 2>/dev/null
CERT=$dir/server.pem KEY=$dir/server.key CA=$dir/ca.pem


start_server() {  # kind port
  case $1 in
    nettool) taskset -c "$SERVER_CPU" "$NETTOOL" tcp-echo server --listen "127.0.0.1:$2" --tls --cert "$CERT" \
               --key "$KEY" --max-clients 20000 --idle-timeout 0 -q >/dev/null 2>&1 & ;;
    s_server) taskset -c "$SERVER_CPU" openssl s_server -accept "127.0.0.1:$2" -cert "$CERT" -key "$KEY" \
                -tls1_3 -quiet >/dev/null 2>&1 </dev/null & ;;
    socat) taskset -c "$SERVER_CPU" socat "OPENSSL-LISTEN:$2,bind=127.0.0.1,fork,reuseaddr,backlog=1024,cert=$CERT,key=$KEY,verify=0" \
             PIPE 2>/dev/null & ;;
  esac
  server_pid=$!
  wait_port "$2"
}

handshakes_per_s() {  # kind
  local port; port=$(free_port)
  start_server "$1" "$port"
  local out
  out=$(taskset -c "$CLIENT_CPU" openssl s_time -connect "127.0.0.1:$port" -new -tls1_3 -time "$SECONDS_EACH" \
          2>/dev/null | grep 'connections in .* real seconds' | head -1)
  stop_server
  # "1234 connections in 5 real seconds, 567 bytes read per connection"
  awk '{ if ($4 > 0) printf "%.0f", $1 / $4; else print 0 }' <<<"$out"
}

client_run() {  # kind, nettool client args… → the summary record
  local port; port=$(free_port)
  start_server "$1" "$port"
  shift
  local before after out
  before=$(cpu_seconds "$server_pid")
  out=$(taskset -c "$CLIENT_CPU" "$NETTOOL" tcp-echo client "127.0.0.1:$port" --tls --ca "$CA" "$@" --jsonl \
          2>/dev/null | jq -c 'select(.type=="summary")' || true)
  sleep 1
  after=$(cpu_seconds "$server_pid")
  stop_server
  [[ -n $out ]] || out='{"mb_per_s":0,"round_trips_per_s":0,"round_trips":0}'
  jq -c --argjson cpu "$(echo "$after - $before" | bc -l)" '. + {server_cpu_s: $cpu}' <<<"$out"
}

echo "== handshakes/s (openssl s_time -new, TLS 1.3, P-256), ${SECONDS_EACH} s each"
hn=$(handshakes_per_s nettool); ho=$(handshakes_per_s s_server)
printf '%-22s %10s\n%-22s %10s\n%-22s %10s\n' "nettool server" "$hn" "openssl s_server" "$ho" "ratio" "$(ratio "$hn" "$ho")"

echo "== bulk verified echo of $BULK over TLS"
bn=$(client_run nettool --bulk "$BULK" | jq ".mb_per_s * 10 | floor / 10"); bs=$(client_run socat --bulk "$BULK" | jq ".mb_per_s * 10 | floor / 10")
printf '%-22s %10s MB/s\n%-22s %10s MB/s\n%-22s %10s\n' "nettool server" "$bn" "socat OPENSSL" "$bs" "ratio" "$(ratio "$bn" "$bs")"

echo "== $CONNECTIONS-connection ping-pong over TLS, ${SECONDS_EACH} s"
for kind in nettool socat; do
  rec=$(client_run "$kind" --bench -C "$CONNECTIONS" -d "$SECONDS_EACH")
  jq -r --arg k "$kind" '"\($k): \(.round_trips_per_s | floor) round trips/s, server CPU " +
    (if .round_trips > 0 then "\(.server_cpu_s * 1e6 / .round_trips | . * 100 | floor / 100) µs" else "n/a" end) +
    " per round trip"' <<<"$rec"
done
