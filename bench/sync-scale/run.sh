#!/usr/bin/env bash
# Benchmark: `certhook sync` with N deployments (default 1,000), each its own certificate on its own HTTPS
# listener (Standard load balancers of 25 listeners), against one `certhook emulator --job-delay 50`.
# Times, with peak RSS: the first sync (N uploads, N associations), a second sync (converged: no writes),
# `sync --dry-run --detailed-exitcode` on the converged fleet, and `status`; prints one markdown table.
# Usage: bench/sync-scale/run.sh [N]     (builds certhook in release mode first, once; CERTHOOK_BIN=path skips it
# and times that binary; EMULATOR_BIN=path serves the emulator from another binary; BENCH_RUNS limits the runs,
# e.g. "first-sync second-sync" for a certhook without `status`; BENCH_REQUEST_LOG=PREFIX keeps each run's emulator
# request log as PREFIX.<run>, NDJSON)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/Tests/e2e/lib.sh"
cd "$root"
count=${1:-1000}
release_certhook
export PATH="$(dirname "${EMULATOR_BIN:-$CERTHOOK_BIN}"):$PATH"
runs=${BENCH_RUNS:-first-sync second-sync dry-run status}

work=$(mktemp -d /tmp/certhook-bench-sync-scale.XXXXXX)
trap 'kill "${EMULATOR_PID:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
python3 "$root/bench/sync-scale/gen.py" "$work" "$count"
# Writes at 1,000 per second (the published 200 per minute would make the first run 5 minutes of waiting for
# the server whatever the client does); reads keep their published limits (CAS search 10 per second).
# (Started here rather than with lib.sh's start_emulator: seeding 1,000 listeners, each with its own default
# certificate, can take longer than that helper's 30 s on a loaded machine.)
mkdir -p "$work/emulator"
certhook emulator --listen 127.0.0.1:0 --seed "$work/seed.yaml" --job-delay 50 --rate-limit 1000/1s \
  > "$work/emulator/emulator.log" 2>&1 &
EMULATOR_PID=$!
EMULATOR_URL=""
for _ in $(seq 1 600); do
  EMULATOR_URL=$(grep -o -m1 'http://127\.0\.0\.1:[0-9]*' "$work/emulator/emulator.log" 2>/dev/null || true)
  [ -z "$EMULATOR_URL" ] || break
  kill -0 "$EMULATOR_PID" 2>/dev/null || { cat "$work/emulator/emulator.log" >&2; exit 1; }
  sleep 0.5
done
[ -n "$EMULATOR_URL" ] || { echo "the emulator did not start within 300 s" >&2; exit 1; }
export ALIBABA_CLOUD_ACCESS_KEY_ID=bench-key ALIBABA_CLOUD_ACCESS_KEY_SECRET=bench-secret-not-real
export CERTHOOK_ALB_ENDPOINT="$EMULATOR_URL" CERTHOOK_CAS_ENDPOINT="$EMULATOR_URL" CERTHOOK_POLL_INTERVAL=0.05
export HOME="$work/home"

# requests: how many API requests the emulator has answered so far (its request log is NDJSON).
requests() { curl -fsS "$EMULATOR_URL/_emulator/requests" | wc -l; }

# run NAME EXPECTED_EXIT ARGS...: one timed run, a table row (wall, per deployment, peak RSS, exit, requests).
run() {
  local name=$1 expected=$2; shift 2
  local before after t0 t1 rc=0
  before=$(requests)
  t0=$(date +%s.%N)
  case " $runs " in *" $name "*) ;; *) return 0 ;; esac
  /usr/bin/time -f %M -o "$work/rss" "$CERTHOOK_BIN" "$@" --config "$work/config.yaml" > "$work/$name.out" 2> "$work/$name.err" || rc=$?
  t1=$(date +%s.%N)
  after=$(requests)
  if [ -n "${BENCH_REQUEST_LOG:-}" ]; then  # keep each run's requests by action for analysis
    curl -fsS "$EMULATOR_URL/_emulator/requests" | tail -n +"$((before + 1))" > "$BENCH_REQUEST_LOG.$name"
  fi
  python3 - "$name" "$t0" "$t1" "$(cat "$work/rss")" "$rc" "$expected" "$count" "$before" "$after" "$work/$name.out" <<'PY'
import sys
name, t0, t1, rss, rc, expected, count, before, after, out = sys.argv[1:]
wall = float(t1) - float(t0)
last = [l for l in open(out).read().splitlines() if l.startswith(("Plan:", "Applied:", "summary:"))]
print(f"| {name} | {wall:.2f} s | {wall / int(count) * 1000:.1f} ms | {int(rss) / 1024:.1f} MiB | {rc} (want {expected}) "
      f"| {int(after) - int(before) if int(after) >= int(before) else '-'} | {'; '.join(last)} |")
PY
  [ "$rc" = "$expected" ] || { tail -5 "$work/$name.err" >&2; return 1; }
}

echo "Deployments: $count ($(wc -c < "$work/config.yaml") bytes of configuration), emulator --job-delay 50 --rate-limit 1000/1s, poll 0.05 s, binary $CERTHOOK_BIN"
echo "| run | wall | per deployment | peak RSS | exit | API requests | last lines |"
echo "|---|---|---|---|---|---|---|"
run first-sync 0 sync
run second-sync 0 sync
run dry-run 0 sync --dry-run --detailed-exitcode
run status 0 status
