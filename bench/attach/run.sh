#!/usr/bin/env bash
# Benchmark: attach one new certificate to 200 HTTPS listeners on 10 load balancers with
# `certhook attach --load-balancer ...` against `certhook emulator --latency 20 --job-delay 300
# --rate-limit 20/1s`, certhook at its defaults: it does not know the server's limit and must adapt to it
# without surfacing throttling errors. Floor: 200 associations / 20 per second = 10 s.
# Compared in the same run with a one-listener-at-a-time loop (`certhook attach --listener X`, 200 runs).
# Usage: bench/attach/run.sh [--skip-loop]     (builds certhook in release mode first)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/Tests/e2e/lib.sh"
cd "$root"
swift build -c release --product certhook >&2
export PATH="$(swift build -c release --show-bin-path):$PATH"

work=$(mktemp -d /tmp/certhook-bench-attach.XXXXXX)
trap 'kill "${EMULATOR_PID:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

python3 - "$work/seed.yaml" <<'PY'
import sys
lines = ["region: cn-hangzhou", "accessKeys:", "  - {id: bench-key, secret: bench-secret-not-real}", "loadBalancers:"]
for lb in range(1, 11):
    lines += [f"  - id: alb-bench-{lb:02d}", "    edition: Standard", "    listeners:"]
    for l in range(1, 21):
        lines.append(f"      - {{id: lsr-bench-{lb:02d}-{l:02d}, protocol: HTTPS, port: {8000 + l}}}")
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
PY
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 90 -subj "/CN=bench.example.test" \
  -addext "subjectAltName=DNS:bench.example.test,DNS:www.bench.example.test" -addext "extendedKeyUsage=serverAuth" -addext "basicConstraints=critical,CA:FALSE" \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

export ALIBABA_CLOUD_ACCESS_KEY_ID=bench-key ALIBABA_CLOUD_ACCESS_KEY_SECRET=bench-secret-not-real
lbs=(); for lb in $(seq -w 1 10); do lbs+=(--load-balancer "alb-bench-$lb"); done

run_batch() {
  start_emulator "$work/batch" "$work/seed.yaml" --latency 20 --job-delay 300 --rate-limit 20/1s
  export CERTHOOK_ALB_ENDPOINT="$EMULATOR_URL" CERTHOOK_CAS_ENDPOINT="$EMULATOR_URL"
  local t0 t1 rc=0
  t0=$(date +%s.%N)
  certhook attach --cert "$work/cert.pem" --key "$work/key.pem" "${lbs[@]}" --json > "$work/batch.json" 2> "$work/batch.err" || rc=$?
  t1=$(date +%s.%N)
  python3 "$root/bench/attach/summarize.py" batch "$EMULATOR_URL" "$work/batch.json" "$work/batch.err" "$t0" "$t1" "$rc"
  kill "$EMULATOR_PID"; wait "$EMULATOR_PID" 2>/dev/null || true
}

run_loop() {
  start_emulator "$work/loop" "$work/seed.yaml" --latency 20 --job-delay 300 --rate-limit 20/1s
  export CERTHOOK_ALB_ENDPOINT="$EMULATOR_URL" CERTHOOK_CAS_ENDPOINT="$EMULATOR_URL"
  local t0 t1 rc=0 failures=0
  t0=$(date +%s.%N)
  for lb in $(seq -w 1 10); do for l in $(seq -w 1 20); do
    certhook attach --cert "$work/cert.pem" --key "$work/key.pem" --listener "lsr-bench-$lb-$l" \
      >> "$work/loop.out" 2>> "$work/loop.err" || failures=$((failures + 1))
  done; done
  t1=$(date +%s.%N)
  [ "$failures" -eq 0 ] || rc=1
  python3 "$root/bench/attach/summarize.py" loop "$EMULATOR_URL" /dev/null "$work/loop.err" "$t0" "$t1" "$rc"
  kill "$EMULATOR_PID"; wait "$EMULATOR_PID" 2>/dev/null || true
}

echo "| run | wall (s) | vs 10 s floor | listeners serving | throttling errors shown to user | exit |"
echo "|---|---|---|---|---|---|"
run_batch
[ "${1:-}" = "--skip-loop" ] || run_loop
