#!/usr/bin/env bash
# Benchmark (issue 10 part 2): rotation in waves under the additional-certificate quota.
# 10 Standard load balancers (quota 25) x 20 HTTPS listeners, each already serving the predecessor as an
# additional certificate (usage 20/25 per instance, so only 5 listeners per instance can hold both certificates
# at once), emulator `--latency 20 --job-delay 300 --rate-limit 20/1s`. One `certhook sync` of the renewed
# certificate must converge all 200 listeners (associate the new one, verify, dissociate the predecessor) and
# never exceed a quota. certhook is not told the quota (it assumes the Standard edition's 25) nor the rate limit.
# Floor (what the emulator's limits allow): for each rate-limited operation its calls divided by its limit, the
# largest of these, plus the job time of the last wave (bench/rotation/summarize.py computes it from the
# emulator's request log). Goal: wall time <= 1.2x the floor.
# Usage: bench/rotation/run.sh            (builds certhook in release mode first; BENCH_SCRATCH=DIR builds in DIR;
#        CERTHOOK_BIN=PATH times that binary instead, e.g. the static one scripts/release.sh built;
#        BENCH_REQUEST_LOG=FILE keeps the timed run's emulator request log, NDJSON)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/Tests/e2e/lib.sh"
cd "$root"
scratch=(); [ -z "${BENCH_SCRATCH:-}" ] || scratch=(--scratch-path "$BENCH_SCRATCH")
if [ -n "${CERTHOOK_BIN:-}" ]; then
  export PATH="$(cd "$(dirname "$CERTHOOK_BIN")" && pwd):$PATH"
else
  swift build -c release "${scratch[@]}" --product certhook >&2
  export PATH="$(swift build -c release "${scratch[@]}" --show-bin-path):$PATH"
fi

work=$(mktemp -d /tmp/certhook-bench-rotation.XXXXXX)
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

# A certbot-style lineage; the predecessor first, then the renewed certificate (same names, later expiry).
lineage="$work/live/bench.example.test"
mkdir -p "$lineage"
make_cert() {  # DAYS
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days "$1" -subj "/CN=bench.example.test" \
    -addext "subjectAltName=DNS:bench.example.test,DNS:www.bench.example.test" -addext "extendedKeyUsage=serverAuth" \
    -addext "basicConstraints=critical,CA:FALSE" -keyout "$lineage/privkey.pem" -out "$lineage/cert.pem" 2>/dev/null
  : > "$lineage/chain.pem"
  cp "$lineage/cert.pem" "$lineage/fullchain.pem"
}
{
  echo "version: 1"
  echo "region: cn-hangzhou"
  echo "statePath: $work/state.json"
  echo "deployments:"
  echo "  - name: bench"
  echo "    source: {cert: $lineage/cert.pem, key: $lineage/privkey.pem}"
  echo "    domains: [bench.example.test, www.bench.example.test]"
  echo "    targets:"
  for lb in $(seq -w 1 10); do echo "      - loadBalancer: alb-bench-$lb"; done
} > "$work/config.yaml"

export ALIBABA_CLOUD_ACCESS_KEY_ID=bench-key ALIBABA_CLOUD_ACCESS_KEY_SECRET=bench-secret-not-real
start_emulator "$work/emulator" "$work/seed.yaml" --latency 20 --job-delay 300 --rate-limit 20/1s
export CERTHOOK_ALB_ENDPOINT="$EMULATOR_URL" CERTHOOK_CAS_ENDPOINT="$EMULATOR_URL"

# Setup (not timed): every listener serves the predecessor.
make_cert 30
certhook sync --config "$work/config.yaml" > "$work/setup.out" 2> "$work/setup.err" || {
  cat "$work/setup.err" >&2; fail "setup sync failed"; }
sleep 1  # let the rate limiter's window empty before the timed run
mark=$(python3 -c "import urllib.request;print(sum(1 for l in urllib.request.urlopen('$EMULATOR_URL/_emulator/requests').read().decode().splitlines() if l.strip()))")

# The timed run: one sync of the renewed certificate.
make_cert 90
rc=0
t0=$(date +%s.%N)
certhook sync --config "$work/config.yaml" --json > "$work/sync.json" 2> "$work/sync.err" || rc=$?
t1=$(date +%s.%N)
python3 "$root/bench/rotation/summarize.py" "$EMULATOR_URL" "$mark" "$lineage/cert.pem" "$t0" "$t1" "$rc" \
  --latency-ms 20 --job-delay-ms 300 --rate 20
