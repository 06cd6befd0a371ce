#!/usr/bin/env bash
# Schema benchmark: what the schema checking of the integration tests costs.
#  1. NETTOOL_RECORD_LOG's overhead: nettool portscan of PORTS loopback ports with --all --jsonl (one
#     record per port), CPU seconds (user+sys) with and without the log; ratio with / without.
#  2. Validating those records: tests/integration/schema_check.py (one validation per record shape)
#     side by side with python3-jsonschema validating every record against `nettool schema portscan`
#     (what a user would write); CPU seconds and the ratio checker / plain jsonschema (below 1: faster).
# Loopback only.
#
#   tests/bench/schema.sh [NETTOOL]     env: PORTS=20000 ROUNDS=3
set -euo pipefail

NETTOOL=$(realpath "${1:-${NETTOOL:-build/nettool}}")
PORTS=${PORTS:-20000}
ROUNDS=${ROUNDS:-3}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
python3 -c 'import jsonschema' 2>/dev/null || { echo "missing python3-jsonschema" >&2; exit 3; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# CPU seconds (user+sys) of a command, children included.
cpu() {
  python3 - "$@" <<'PY'
import os, subprocess, sys
before = os.times()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
after = os.times()
print(f"{after.children_user - before.children_user + after.children_system - before.children_system:.3f}")
PY
}

scan=("$NETTOOL" portscan 127.0.0.1 -p "1-$PORTS" --all --jsonl)
plain=0 logged=0
for ((i = 0; i < ROUNDS; i++)); do
  plain=$(echo "$plain + $(cpu "${scan[@]}")" | bc)
  rm -rf "$WORK/log" && mkdir "$WORK/log"
  logged=$(echo "$logged + $(cpu env NETTOOL_RECORD_LOG="$WORK/log" "${scan[@]}")" | bc)
done
printf 'portscan %d ports --jsonl:   %.3f s CPU plain, %.3f s with NETTOOL_RECORD_LOG: ratio %.2f\n' \
  "$PORTS" "$(echo "$plain / $ROUNDS" | bc -l)" "$(echo "$logged / $ROUNDS" | bc -l)" "$(echo "$logged / $plain" | bc -l)"

"$NETTOOL" schema portscan >"$WORK/portscan.schema.json"
cat >"$WORK/check.py" <<PY
import sys
sys.path.insert(0, "$ROOT/tests/integration")
import jsonschema, schema_check
problems, _, seen, validated = schema_check.check_log("$WORK/log", schema_check.Schemas(jsonschema))
assert not problems, problems
PY
cat >"$WORK/plain.py" <<PY
import glob, json, jsonschema
v = jsonschema.Draft202012Validator(json.load(open("$WORK/portscan.schema.json")))
for path in glob.glob("$WORK/log/*.jsonl"):
    for line in open(path):
        assert not list(v.iter_errors(json.loads(line)))
PY
checker=$(cpu python3 "$WORK/check.py")
naive=$(cpu python3 "$WORK/plain.py")
printf 'validating %d records:        %.3f s CPU schema_check.py, %.3f s plain jsonschema: ratio %.3f\n' \
  "$PORTS" "$checker" "$naive" "$(echo "$checker / $naive" | bc -l)"
