#!/usr/bin/env bash
# Benchmark (issue 15): one `certhook sync` renews a certificate across a fleet of 20 accounts x 3 regions x
# 5 load balancers x 10 HTTPS listeners (3,000 listeners), against ONE `certhook emulator` process that serves the
# 20 accounts (each its own world, keys and rate limits) with per-account write limits of 20 per second
# (`--rate-limit 20/1s`: every mutating action, per account). Every listener already serves the predecessor (setup,
# not timed); the timed run associates the renewed certificate and retires the predecessor everywhere.
# The emulator keeps one world per account and does not tell regions apart: the three regions of an account are
# three groups of load balancers in that account's world, reached by three sessions (`region:` on the targets)
# that share the account's rate limiter, as against the real cloud.
# Reports: wall time against the floor (per account, each write action's calls divided by its limit, the largest;
# accounts run in parallel, so the floor is the slowest account's), peak RSS, API calls per listener, convergence.
# Usage: bench/fleet/run.sh    (builds certhook in release mode first; CERTHOOK_BIN=PATH times that binary instead,
#        e.g. .build/debug/certhook; ACCOUNTS / REGIONS / LBS / LISTENERS change the shape, RATE the limit;
#        BENCH_REQUEST_LOG=FILE keeps the timed run's emulator request log, NDJSON)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/Tests/e2e/lib.sh"
cd "$root"
release_certhook
export PATH="$(cd "$(dirname "$CERTHOOK_BIN")" && pwd):$PATH"
accounts=${ACCOUNTS:-20} regions=${REGIONS:-3} lbs=${LBS:-5} listeners=${LISTENERS:-10} rate=${RATE:-20}

work=$(mktemp -d /tmp/certhook-bench-fleet.XXXXXX)
trap 'kill "${EMULATOR_PID:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
lineage="$work/live/fleet.example.test"
mkdir -p "$lineage" "$work/home"
python3 "$root/bench/fleet/gen.py" "$work" "$lineage" "$accounts" "$regions" "$lbs" "$listeners" "$rate"

make_cert() {  # DAYS
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days "$1" -subj "/CN=fleet.example.test" \
    -addext "subjectAltName=DNS:fleet.example.test" -addext "extendedKeyUsage=serverAuth" \
    -addext "basicConstraints=critical,CA:FALSE" -keyout "$lineage/privkey.pem" -out "$lineage/cert.pem" 2>/dev/null
  : > "$lineage/chain.pem"
}

EMULATOR_START_TIMEOUT=300 start_emulator "$work/emulator" "$work/seed.yaml" --job-delay 50 --rate-limit "$rate/1s"
export CERTHOOK_ALB_ENDPOINT="$EMULATOR_URL" CERTHOOK_CAS_ENDPOINT="$EMULATOR_URL" CERTHOOK_POLL_INTERVAL=0.05
export HOME="$work/home"
unset ALIBABA_CLOUD_ACCESS_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET ALIBABA_CLOUD_PROFILE || true

# Setup (not timed): every listener serves the predecessor.
make_cert 30
"$CERTHOOK_BIN" sync --config "$work/config.yaml" > "$work/setup.out" 2> "$work/setup.err" || {
  tail -20 "$work/setup.err" >&2; echo "setup sync failed" >&2; exit 1; }
sleep 1.5  # let every account's rate-limit window empty before the timed run
mark=$(curl -fsS "$EMULATOR_URL/_emulator/requests" | wc -l)

# The timed run: one sync of the renewed certificate.
make_cert 90
rc=0
cpu() { awk '{print $14 + $15}' "/proc/$EMULATOR_PID/stat"; }  # the emulator's user + system CPU, in clock ticks
e0=$(cpu)
t0=$(date +%s.%N)
/usr/bin/time -f "%M %U %S" -o "$work/rss" "$CERTHOOK_BIN" sync --config "$work/config.yaml" --json \
  > "$work/sync.json" 2> "$work/sync.err" || rc=$?
t1=$(date +%s.%N)
e1=$(cpu)
[ "$rc" = 0 ] || tail -20 "$work/sync.err" >&2
if [ -n "${BENCH_REQUEST_LOG:-}" ]; then  # keep the timed run's requests (NDJSON) for analysis
  curl -fsS "$EMULATOR_URL/_emulator/requests" | tail -n +"$((mark + 1))" > "$BENCH_REQUEST_LOG"
fi
python3 "$root/bench/fleet/summarize.py" "$EMULATOR_URL" "$mark" "$lineage/cert.pem" "$t0" "$t1" "$rc" \
  "$(cat "$work/rss")" "$work/sync.json" --rate "$rate" --binary "$CERTHOOK_BIN" \
  --emulator-cpu "$(awk -v a="$e0" -v b="$e1" -v hz="$(getconf CLK_TCK)" 'BEGIN {print (b - a) / hz}')" \
  --shape "$accounts x $regions x $lbs x $listeners"
