#!/usr/bin/env bash
# Start-up benchmark: process time of `nettool --version` and `nettool ping -c 1 127.0.0.1` side by side
# with `ping -V` (iputils), `busybox true` and `nmap --version`, measured by hyperfine -N (no shell) in
# one run. Target (issue 17): both nettool commands' user+system time <= 2 ms. Loopback only.
#
#   tests/bench/startup.sh [NETTOOL]     env: RUNS=300
set -euo pipefail

NETTOOL=$(realpath "${1:-${NETTOOL:-build/nettool}}")
RUNS=${RUNS:-300}
for tool in hyperfine jq ping busybox nmap; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 3; }
done
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

hyperfine -N --warmup 20 --runs "$RUNS" --export-json "$WORK/startup.json" \
  -n "nettool --version" "$NETTOOL --version" \
  -n "nettool ping -c 1 127.0.0.1" "$NETTOOL ping -c 1 -q 127.0.0.1" \
  -n "ping -V" "ping -V" \
  -n "ping -c 1 127.0.0.1" "ping -c 1 -q 127.0.0.1" \
  -n "busybox true" "busybox true" \
  -n "nmap --version" "nmap --version" >/dev/null

echo "== start-up, $RUNS runs each (hyperfine -N): wall mean, and process time (user + system)"
jq -r '.results[] | [.command, (.mean * 1e3), ((.user + .system) * 1e3)] | @tsv' "$WORK/startup.json" |
  awk -F'\t' '{ printf "%-30s %8.2f ms wall %8.2f ms process\n", $1, $2, $3 }'
jq -r '.results | map({(.command): ((.user + .system) * 1e3)}) | add |
  "      nettool --version vs ping -V: process time x\(.["nettool --version"] / .["ping -V"] * 100 | round / 100)",
  "      nettool ping -c 1 vs iputils ping -c 1: process time x\(.["nettool ping -c 1 127.0.0.1"] / .["ping -c 1 127.0.0.1"] * 100 | round / 100)",
  "== target (issue 17): <= 2 ms process time: nettool --version \(.["nettool --version"] * 100 | round / 100) ms, nettool ping -c 1 \(.["nettool ping -c 1 127.0.0.1"] * 100 | round / 100) ms"' \
  "$WORK/startup.json"
